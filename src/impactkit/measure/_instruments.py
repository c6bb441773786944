"""Published instruments of the carers' and addiction fields, as scales with sourced figures.

Each instrument is a :class:`~impactkit.measure.Scale` constant (item columns,
response range, scoring rule) and a ``*_NORMS`` dictionary of the published
figures read in its sources, under the names of
:class:`~impactkit.measure.ReliableChange`'s options where they fit
(``reliability``; ``sd`` only where a standard deviation was read). Only
scoring rules and figures are shipped, never item wording: paste the wording
from the owner's form into your questionnaire (docs/methods/scales.md lists
the sources and their terms of use).

References
----------
.. [1] Thornton, M., & Travis, S. S. (2003). Analysis of the reliability of the
   Modified Caregiver Strain Index. Journals of Gerontology, Series B 58(2),
   S127-S132.
.. [2] Babor, T. F., Higgins-Biddle, J. C., Saunders, J. B., & Monteiro, M. G.
   (2001). AUDIT: The Alcohol Use Disorders Identification Test. Guidelines for
   use in primary care (2nd ed.). World Health Organization, WHO/MSD/MSB/01.6a.
.. [3] Selin, K. H. (2003). Test-retest reliability of the Alcohol Use Disorder
   Identification Test in a general population sample. Alcoholism: Clinical and
   Experimental Research 27(9), 1428-1435.

Examples
--------
>>> import pandas as pd
>>> answers = [2, 1, 0, 2, 2, 1, 0, 0, 1, 2, 0, 1, 2]
>>> MCSI.score(pd.DataFrame([answers], columns=MCSI.columns())).tolist()
[14.0]
>>> audit = pd.DataFrame([[1, 2, 1, 0, 0, 0, 1, 0, 2, 4]], columns=AUDIT.columns())
>>> AUDIT.score(audit).tolist()
[11.0]
>>> AUDIT_NORMS["zones"]["II"]
(8, 15)
"""

from __future__ import annotations

from typing import Any

from impactkit.measure._scales import Scale

__all__ = ["AUDIT", "AUDIT_NORMS", "MCSI", "MCSI_NORMS"]

# Carers ---------------------------------------------------------------------------

MCSI = Scale(
    items=[f"mcsi_{i}" for i in range(1, 14)],
    low=0,
    high=2,
    scoring="sum",
    name="mcsi",
    levels={f"mcsi_{i}": (0, 1, 2) for i in range(1, 14)},
)
r"""Modified Caregiver Strain Index: 13 items scored 0-2, sum 0-26 (higher = more strain).

Each item is answered "yes, on a regular basis" (2), "yes, sometimes" (1) or
"no" (0); the score is the sum of the 13 items, from 0 to 26, and no item is
reversed (Thornton & Travis 2003; Hartford Institute for Geriatric Nursing,
*Try This* general assessment series, issue 14). No banding into low,
moderate and high strain is published with it, and no rule for prorating
unanswered items was read: every item must be answered, and a row with an
item missing scores NaN, which the calculators count in ``missing``. An
answer other than 0, 1 or 2 (a fraction included) is an error naming the
column (the scale's ``levels``).

The index and its form were published by Thornton and Travis in a journal of
The Gerontological Society of America and are distributed free of charge by
the Hartford Institute in its *Try This* series, whose notice lets anyone
reproduce and distribute the material in its entirety for not-for-profit
educational purposes, citing the Institute; impactkit ships the scoring
only (item columns ``mcsi_1`` ... ``mcsi_13`` in the form's order, range,
sum), not the wording. Published reliability in :data:`MCSI_NORMS`.

References
----------
.. [1] Thornton, M., & Travis, S. S. (2003). Analysis of the reliability of the
   Modified Caregiver Strain Index. Journals of Gerontology, Series B:
   Psychological Sciences and Social Sciences 58(2), S127-S132.
   doi:10.1093/geronb/58.2.S127

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame([[2, 1, 0, 2, 2, 1, 0, 0, 1, 2, 0, 1, 2],
...                    [2, 1, 0, 2, 2, 1, 0, 0, 1, 2, 0, 1, None]],
...                   columns=MCSI.columns())
>>> MCSI.score(df).tolist()
[14.0, nan]
"""

MCSI_NORMS: dict[str, Any] = {
    "alpha": 0.90,
    "test_retest": 0.88,
    "reliability": 0.88,
    "retest_interval": "two weeks",
    "retest_n": 53,
    "n": 158,
    "population": (
        "158 family caregivers of older adults living in the community (United States), "
        "average age 61, 25% from minority groups"
    ),
    "source": (
        "Thornton M., Travis S. S. (2003). Analysis of the reliability of the Modified "
        "Caregiver Strain Index. The Journals of Gerontology, Series B: Psychological "
        "Sciences and Social Sciences 58(2), S127-S132 (Oxford University Press for The "
        "Gerontological Society of America), doi:10.1093/geronb/58.2.S127, abstract: "
        "alpha = .90, two-week test-retest reliability = .88"
    ),
    "scoring_source": (
        "Hartford Institute for Geriatric Nursing (NYU), Try This: General Assessment "
        "Series, issue 14, The Modified Caregiver Strain Index (MCSI): 2 points for each "
        "'yes', 1 for each 'sometimes', 0 for each 'no'; scores from 0 to 26; two-week "
        "retest data for one third of the sample (n = 53)"
    ),
    "licence": (
        "Try This material: free to reproduce, post, download and distribute in its "
        "entirety for not-for-profit educational purposes, citing the Hartford Institute "
        "for Geriatric Nursing, New York University, College of Nursing as the source "
        "(its notice, as quoted by cgakit.com); impactkit ships the scoring only"
    ),
}
r"""Published reliability of the Modified Caregiver Strain Index, with its source.

Cronbach's alpha 0.90 in 158 family caregivers of older adults, and a
two-week test-retest reliability of 0.88 in the third of them retested
(n = 53) (Thornton & Travis 2003, abstract; the Try This issue for n = 53).
``reliability`` is the test-retest coefficient, the one Jacobson and Truax
ask for: pass it as
``ReliableChange(..., measure=MCSI, reliability=MCSI_NORMS["reliability"],
direction="decrease")`` (less strain is better). No standard deviation was
read, so none is shipped: without ``sd``, ``ReliableChange`` takes the
standard deviation of your own baseline scores. See docs/methods/scales.md.

Examples
--------
>>> MCSI_NORMS["reliability"], MCSI_NORMS["alpha"], MCSI_NORMS["n"]
(0.88, 0.9, 158)
"""

# Addiction ------------------------------------------------------------------------

AUDIT = Scale(
    items=[f"audit_{i}" for i in range(1, 11)],
    low=0,
    high=4,
    scoring="sum",
    name="audit",
    levels={
        **{f"audit_{i}": (0, 1, 2, 3, 4) for i in range(1, 9)},
        "audit_9": (0, 2, 4),
        "audit_10": (0, 2, 4),
    },
)
r"""Alcohol Use Disorders Identification Test (WHO): 10 items, sum 0-40 (higher = riskier).

Items 1-8 are scored 0, 1, 2, 3 or 4 and items 9 and 10 are scored 0, 2 or
4; the score is their sum, from 0 to 40, and no item is reversed (Babor et
al. 2001, WHO; scoring as restated by auditscreen.org). An answer outside
0-4, a fraction, or a 1 or a 3 on item 9 or 10, is an error naming the
column (the scale's ``levels``). No prorating rule was
read: every item must be answered, and a row with an item missing scores
NaN, counted in ``missing``. A form that skips items after question 1 leaves
them empty: record the skipped items as 0 before scoring, as the scoring
sheets instruct, since impactkit never reads an empty answer as 0. The risk
zones are in :data:`AUDIT_NORMS`.

The WHO manual is "© World Health Organization 2001" and "may be freely
reviewed, abstracted, reproduced and translated, in part or in whole but not
for sale or for use in conjunction with commercial purposes" (its notice, as
quoted by the CamCOPS documentation); impactkit ships the scoring only
(columns ``audit_1`` ... ``audit_10`` in the manual's order, ranges, sum).

References
----------
.. [1] Babor, T. F., Higgins-Biddle, J. C., Saunders, J. B., & Monteiro, M. G.
   (2001). AUDIT: The Alcohol Use Disorders Identification Test. Guidelines for
   use in primary care (2nd ed.). World Health Organization, Department of
   Mental Health and Substance Dependence, WHO/MSD/MSB/01.6a.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame([[1, 2, 1, 0, 0, 0, 1, 0, 2, 4], [4] * 10, [0] * 10],
...                   columns=AUDIT.columns())
>>> AUDIT.score(df).tolist()
[11.0, 40.0, 0.0]
"""

AUDIT_NORMS: dict[str, Any] = {
    "zones": {"I": (0, 7), "II": (8, 15), "III": (16, 19), "IV": (20, 40)},
    "zone_actions": {
        "I": "alcohol education",
        "II": "simple advice",
        "III": "simple advice plus brief counselling and continued monitoring",
        "IV": "referral for diagnostic evaluation and treatment",
    },
    "zones_source": (
        "Babor T. F., Higgins-Biddle J. C., Saunders J. B., Monteiro M. G. (2001). AUDIT: "
        "The Alcohol Use Disorders Identification Test. Guidelines for use in primary care, "
        "2nd ed. World Health Organization, WHO/MSD/MSB/01.6a; risk zones as reproduced "
        "from it in the Australian comorbidity guidelines, appendix U (AUDIT scoring), "
        "zones I-III, and zone IV (20-40) the rest of the 0-40 range"
    ),
    "mean": 4.5,
    "sd": 5.8,
    "median": 3,
    "sd_population": (
        "300 patients of a department of gastroenterology and hepatology, Odense "
        "University Hospital, Denmark, February-April 2023"
    ),
    "sd_source": (
        "Schøler P. N., Andersen M. B., Andersen K., Becker U., Thiele M., Nielsen A. S. "
        "(2025). Validation of the alcohol use disorders identification test in a Danish "
        "hospital setting. Substance Abuse Treatment, Prevention, and Policy (BioMed "
        "Central), doi:10.1186/s13011-025-00638-w, Table 1 (and abstract): AUDIT score "
        "mean (SD) 4.5 (5.8), median 3, range 0-38, N = 300"
    ),
    "test_retest": 0.84,
    "reliability": 0.84,
    "retest_interval": "about one month",
    "n": 457,
    "population": "general population sample (Sweden), n = 457",
    "reliability_source": (
        "Selin K. H. (2003). Test-retest reliability of the Alcohol Use Disorder "
        "Identification Test in a general population sample. Alcoholism: Clinical and "
        "Experimental Research 27(9), 1428-1435, doi:10.1097/01.ALC.0000085633.23230.4A, "
        "abstract: reliability (intraclass correlation) of total scores 0.84, about 0.80 "
        "by sex, age and consumer group except low consumers (0.51)"
    ),
}
r"""AUDIT risk zones and published test-retest reliability, with their sources.

Zones of the total score (WHO manual, Babor et al. 2001): I, 0-7, alcohol
education; II, 8-15, simple advice; III, 16-19, simple advice plus brief
counselling and continued monitoring; IV, 20-40, referral for diagnostic
evaluation and treatment. The reproduction read notes that the cut-offs may
vary with a country's drinking patterns and the alcohol content of its
standard drink.

``reliability`` is the one-month test-retest intraclass correlation of the
total score, 0.84, in a general population sample of 457 (Selin 2003,
abstract; 0.51 among low consumers). ``sd`` is 5.8, the standard deviation
of the AUDIT score of 300 hospital patients in Denmark (mean 4.5, median 3;
Schøler et al. 2025, Table 1). The two figures come from different samples
and a skewed score: with them :math:`S_{diff} = \sqrt 2 \times 5.8
\times \sqrt{0.16} = 3.281` and a change is reliable beyond
:math:`1.96 \times 3.281 = 6.43` points. Pass
``ReliableChange(..., measure=AUDIT, sd=AUDIT_NORMS["sd"],
reliability=AUDIT_NORMS["reliability"], direction="decrease")``; without
``sd`` it takes the standard deviation of your own baseline, often the
better reference for a service's own population. See docs/methods/scales.md.

Examples
--------
>>> zone = next(z for z, (lo, hi) in AUDIT_NORMS["zones"].items() if lo <= 17 <= hi)
>>> zone, AUDIT_NORMS["zone_actions"][zone][:13]
('III', 'simple advice')
"""
