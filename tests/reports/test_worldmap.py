"""The world map of members by country of residence: a tile grid coloured by count class, hidden figures grey."""

import re

import pytest
from django.utils import translation

from apps.reports import framework
from apps.reports.framework import Filters
from apps.reports.selectors import report_run
from apps.reports.worldmap import HIDDEN, PLACED, world_map

pytestmark = pytest.mark.django_db


def tile(svg: str, code: str) -> str:
    return re.search(rf'<g data-country="{code}">.*?</g>', svg).group(0)


@pytest.fixture
def residence(known_members):
    return report_run(report=framework.get("profiles"), filters=Filters()).table("residence")


def test_each_country_is_a_square_coloured_by_its_class_with_its_figure_as_text(residence):
    svg = world_map(residence, rtl=False, chart_id="m")
    assert len(re.findall(r"<g data-country=", svg)) == len(PLACED)
    france = tile(svg, "FR")
    # 12 members, published 10 (rounded): the class is that of the published figure.
    assert "<title>France: 10</title>" in france and 'fill="#9ecae1"' in france and ">10</text>" in france
    # Canada is "<5" and the United States "hidden": both neutral grey, dashed, with their marker as text.
    for code, marker in (("CA", "&lt;5"), ("US", "hidden")):
        assert f'fill="{HIDDEN}"' in tile(svg, code) and "stroke-dasharray" in tile(svg, code)
        assert f">{marker}</text>" in tile(svg, code)
    assert "<title>Senegal</title>" in tile(svg, "SN")  # no members: no figure
    assert '<desc id="m-desc">' in svg and "1 countries with figures, 2 countries with a hidden figure" in svg


def test_a_tiles_label_and_figure_are_joined_by_the_languages_colon(known_members):
    with translation.override("fr"):
        table = report_run(report=framework.get("profiles"), filters=Filters()).table("residence")
        france = tile(world_map(table, rtl=False, chart_id="m"), "FR")
    assert "<title>France\u00a0: 10</title>" in france  # French puts a no-break space before the colon


def test_the_map_mirrors_in_arabic(residence):
    left_to_right = world_map(residence, rtl=False, chart_id="m")
    with translation.override("ar"):
        right_to_left = world_map(residence, rtl=True, chart_id="m")
    x_ltr = float(re.search(r'<rect x="([\d.]+)"', tile(left_to_right, "CA")).group(1))
    x_rtl = float(re.search(r'<rect x="([\d.]+)"', tile(right_to_left, "CA")).group(1))
    assert x_ltr < 50 < x_rtl  # the Americas are on the reading side: left in English, right in Arabic
    assert 'data-direction="rtl"' in right_to_left and "أمريكا الشمالية" in right_to_left


def test_the_profile_page_shows_the_map_beside_the_residence_table(analyst_client, known_members):
    page = analyst_client.get("/reports/profiles/").content.decode()
    section = re.search(r'data-table="residence".*?</section>', page, re.S).group(0)
    assert 'class="report-map"' in section and "<table" in section
