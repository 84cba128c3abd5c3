"""The one settings object (`core`), the rule each setting is declared with (`rules`) and its flags (`flags`)."""

from streams.settings.core import SANDBOX_MARK, SANDBOX_NAME, Settings, SettingsError, Spec, parse_bool, setting, specs

__all__ = ["SANDBOX_MARK", "SANDBOX_NAME", "Settings", "SettingsError", "Spec", "parse_bool", "setting", "specs"]
