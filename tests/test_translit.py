"""Ukrainian by the 2010 national rules (Cabinet resolution No. 55), Russian as the press has it."""

from __future__ import annotations

import pytest

from store.gazetteer.translit import has_cyrillic, looks_russian, translit_ru, translit_uk


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        # The resolution's own examples.
        ("Zghorany", "Згорани"),
        ("Rozghon", "Розгон"),
        ("Yenakiieve", "Єнакієве"),
        ("Koropie", "Короп'є"),
        ("Yizhakevych", "Їжакевич"),
        ("Kadyivka", "Кадиївка"),
        ("Marine", "Мар'їне"),
        ("Yosypivka", "Йосипівка"),
        ("Stryi", "Стрий"),
        ("Oleksii", "Олексій"),
        ("Yurii", "Юрій"),
        ("Koriukivka", "Корюківка"),
        ("Yahotyn", "Яготин"),
        ("Kostiantyn", "Костянтин"),
        ("Znamianka", "Знам'янка"),
        ("Feodosiia", "Феодосія"),
        ("Hadiach", "Гадяч"),
        ("Galagan", "Ґалаґан"),
        ("Gorgany", "Ґорґани"),
        ("Shcherbukhy", "Щербухи"),
        ("Zhashkiv", "Жашків"),
        ("Tsiurupynsk", "Цюрупинськ"),
        ("Chernivtsi", "Чернівці"),
        ("Bila Tserkva", "Біла Церква"),
        # The spellings an answer shows for the big cities.
        ("Kyiv", "Київ"),
        ("Kharkiv", "Харків"),
        ("Izium", "Ізюм"),
        ("Sievierodonetsk", "Сєвєродонецьк"),
        ("Zaporizhzhia", "Запоріжжя"),
        ("Mykolaiv", "Миколаїв"),
        ("Vinnytsia", "Вінниця"),
        ("Lviv", "Львів"),
        ("Odesa", "Одеса"),
        ("Luhansk", "Луганськ"),
        ("Mariupol", "Маріуполь"),
    ],
)
def test_ukrainian_follows_the_2010_rules(latin, cyrillic):
    assert latin == translit_uk(cyrillic)


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        # й between vowels is i, as inside any word (Гайові, not Hayovi).
        ("Haiovi", "Гайові"),
        # The apostrophe may be any of the marks Ukrainian text uses.
        ("Znamianka", "Знам’янка"),
        ("Znamianka", "Знамʼянка"),
        # Each word of a name starts afresh, after a space or a hyphen.
        ("Nova Yalta", "Нова Ялта"),
        ("Yasynuvata-Yuzhna", "Ясинувата-Южна"),
        # All capitals stay all capitals.
        ("SHCHORS", "ЩОРС"),
        ("Shchors", "Щорс"),
        # Latin text passes through.
        ("Kyiv Oblast", "Kyiv Oblast"),
    ],
)
def test_ukrainian_positions_case_and_apostrophes(latin, cyrillic):
    assert latin == translit_uk(cyrillic)


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Kharkov", "Харьков"),
        ("Nikolayev", "Николаев"),
        ("Severodonetsk", "Северодонецк"),
        ("Yenakiyevo", "Енакиево"),
        ("Zaporozhye", "Запорожье"),
        ("Artemovsk", "Артемовск"),
        ("Yuzhny", "Южный"),
        ("Zarechnoye", "Заречное"),
        ("Gorlovka", "Горловка"),
    ],
)
def test_russian_is_romanised_as_the_press_does(latin, cyrillic):
    assert latin == translit_ru(cyrillic)


@pytest.mark.parametrize(
    ("expected", "text"),
    [(True, "Київ"), (True, "Kyiv (Київ)"), (False, "Kyiv"), (False, "")],
)
def test_has_cyrillic(expected, text):
    assert expected == has_cyrillic(text)


@pytest.mark.parametrize(
    ("expected", "text"),
    [(True, "Сумы"), (True, "Южный"), (False, "Суми"), (False, "Київ"), (False, "Харьков")],
)
def test_looks_russian_needs_a_letter_only_russian_has(expected, text):
    assert expected == looks_russian(text)
