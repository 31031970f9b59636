"""`refs.parse.authordate`: author-date (APA) forms beyond the seed lists."""

from __future__ import annotations

from refs.parse import parse_reference


def test_apa() -> None:
    ref = parse_reference(
        "Siegel, R. L., Miller, K. D., & Jemal, A. (2016). Cancer statistics, 2016. CA: A Cancer "
        "Journal for Clinicians, 66(1), 7–30. https://doi.org/10.3322/caac.21332"
    )
    item = ref.item
    assert ref.style == "authordate"
    assert [(p.family, p.given) for p in item.author] == [
        ("Siegel", "R. L."),
        ("Miller", "K. D."),
        ("Jemal", "A."),
    ]
    assert item.title == "Cancer statistics, 2016"
    assert item.container_title == "CA: A Cancer Journal for Clinicians"
    assert (item.volume, item.issue, item.page) == ("66", "1", "7-30")
    assert item.DOI == "10.3322/caac.21332"
