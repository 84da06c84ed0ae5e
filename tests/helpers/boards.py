"""Front-page boards read from their fixtures, as a front-page poll reads them."""

from __future__ import annotations

from spiders.frontpage import parse as frontpage
from tests.helpers.fixtures import response_from_fixture
from yuqing_spiders.model.items import FrontPageLink


def board(url: str) -> tuple[str, list[FrontPageLink]]:
    """The site key and the ranked links of the board recorded at `url`."""
    return frontpage.parse_board(response_from_fixture(url).replace(url=url))
