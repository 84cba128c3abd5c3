"""Format detection from content."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from streams.model import FORMATS
from streams.normalize.formats.detect import detect_format


@pytest.mark.parametrize(
    ("content", "fmt"),
    [
        ('{"uri": "x"}', "ninjs"),
        ('\ufeff  [{"uri": "x"}]', "ninjs"),
        ('<?xml version="1.0"?><newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/">', "newsml"),
        ('<newsItem guid="x">', "newsml"),
        ('<!DOCTYPE lewis SYSTEM "lewis.dtd">\n<REUTERS NEWID="1">', "reuters21578"),
        ('<REUTERS TOPICS="NO" NEWID="7">', "reuters21578"),
        ("<!doctype html><html><body><p>x</p></body></html>", "html"),
        ("<div><p>Hello</p></div>", "html"),
        ("Stay up to date with notifications\n\nA headline here", "text"),
        ("", "text"),
    ],
)
def test_detect(content: str, fmt: str) -> None:
    assert detect_format(content) == fmt


@given(st.text())
def test_always_a_known_format(content: str) -> None:
    assert detect_format(content) in FORMATS
