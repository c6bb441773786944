"""Pseudonymisation that holds: every spelling of a name, ids and sources, personal data.

NIR keys are computed by hand as 97 - (n mod 97) over the first 13 digits,
Corsica 2A/2B read as 19/18 (the rule of python-stdnum's ``fr.nir``, whose
documented example 2 95 10 99 126 111 93 is used); the IBAN is the French
example FR76 3000 6000 0112 3456 7890 189 (mod 97 = 1, checked below).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
import warnings

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import impactkit as ik
from impactkit import qualitative as ql
from impactkit.errors import ImpactkitWarning


def ev(text="", **kw):
    kw.setdefault("id", "e1")
    kw.setdefault("kind", "testimony")
    kw.setdefault("consent", True)
    return ql.Evidence(text=text, **kw)


def strip_accents(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


# ----------------------------------------------------------------- names, every spelling
@pytest.mark.parametrize(
    "spelling",
    [
        "Hélène Dupont",
        unicodedata.normalize("NFD", "Hélène Dupont"),  # text exported from macOS
        "Helene Dupont",
        "HÉLÈNE DUPONT",
        "HELENE DUPONT",
        "helene_dupont",
        "Helene_Dupont",
        "Hélène-Dupont",
        "Hélène  Dupont",
    ],
)
def test_every_spelling_of_a_name_is_replaced(spelling):
    out = ql.pseudonymise([ev(f"Merci à {spelling} pour tout.")], ["Hélène Dupont"])[0]
    assert out.text == "Merci à [P1] pour tout."


def test_a_decomposed_name_in_the_list_matches_a_composed_text_and_back():
    nfd = unicodedata.normalize("NFD", "José")
    assert ql.pseudonymise([ev("José vient.")], [nfd])[0].text == "[P1] vient."
    assert ql.pseudonymise([ev(f"{nfd} vient.")], ["José"])[0].text == "[P1] vient."
    # the combining accent of the last letter goes with the name
    assert ql.pseudonymise([ev(f"{nfd}, oui")], ["Jose"])[0].text == "[P1], oui"


def test_whole_words_only():
    out = ql.pseudonymise([ev("Paulette et Paul, PAULINE")], ["Paul"])[0]
    assert out.text == "Paulette et [P1], PAULINE"


def test_ids_sources_and_themes_are_pseudonymised_and_ids_stay_distinct():
    a = ev(
        "texte",
        id="Entretien_Helene_Dupont@1-9",
        source="Entretien_Helene_Dupont.docx",
        themes=("Suivi de Hélène",),
        person="Hélène Dupont",
    )
    b = ev("autre", id="Entretien_Hélène_Dupont@1-9")
    out = ql.pseudonymise([a, b], ["Hélène Dupont", "Hélène"])
    assert out[0].id == "Entretien_[P1]@1-9"
    assert out[0].source == "Entretien_[P1].docx"
    assert out[0].themes == ("Suivi de [P2]",)
    assert out[0].person == "[P1]"
    assert out[1].id == "Entretien_[P1]@1-9#2"


def test_a_name_without_letters_is_refused():
    with pytest.raises(ik.ValidationError, match="no letter"):
        ql.pseudonymise([ev("x")], ["--"])


# ----------------------------------------------------------------- personal data
NIRS = [
    "2 95 10 99 126 111 93",  # python-stdnum's documented example
    "295109912611193",
    "1 85 05 78 006 084 91",
    "1 85 05 2A 004 012 70",  # Corsica: 2A read as 19
    "2.82.12.2B.123.456.75",  # Corsica: 2B read as 18
]


@pytest.mark.parametrize("nir", NIRS)
def test_a_nir_with_a_valid_key_is_redacted(nir):
    assert ql.redact_personal_data(f"Mon numéro : {nir}.") == "Mon numéro : [NIR]."


@pytest.mark.parametrize("nir", ["2 95 10 99 126 111 94", "1 85 05 2A 004 012 71"])
def test_a_fifteen_digit_number_with_a_wrong_key_is_not_a_nir(nir):
    assert ("nir", 0, len(nir)) not in ql.personal_data(nir)


@pytest.mark.parametrize(
    "phone",
    [
        "06 12 34 56 78",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "0612345678",
        "01 23 45 67 89",
        "+33 6 12 34 56 78",
        "+33612345678",
        "+33 (0)6 12 34 56 78",
        "0033 6 12 34 56 78",
        "06\u00a012\u00a034\u00a056\u00a078",
    ],
)
def test_french_phone_numbers_are_redacted(phone):
    assert ql.redact_personal_data(f"Appelez le {phone} demain") == "Appelez le [tél.] demain"


def test_years_amounts_and_short_numbers_are_not_phones():
    text = "En 2024, 1 200 personnes ; 12 34 56 ; 0,5 % ; 06 12 34"
    assert ql.personal_data(text) == []


def test_a_french_iban_with_a_valid_check_is_redacted():
    iban = "FR76 3000 6000 0112 3456 7890 189"
    code = iban.replace(" ", "")
    assert int("".join(str(int(c, 36)) for c in code[4:] + code[:4])) % 97 == 1
    assert ql.redact_personal_data(f"RIB : {iban}.") == "RIB : [IBAN]."
    assert ql.redact_personal_data(f"RIB : {code}") == "RIB : [IBAN]"
    assert "iban" not in {k for k, _, _ in ql.personal_data(iban[:-1] + "8")}


@pytest.mark.parametrize("mail", ["ana@exemple.fr", "jean.dupont+cafe@mairie-lyon.gouv.fr"])
def test_e_mail_addresses_are_redacted(mail):
    assert ql.redact_personal_data(f"Écrire à {mail}.") == "Écrire à [e-mail]."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("J'habite 12 rue des Lilas depuis 2019.", "J'habite [adresse] depuis 2019."),
        ("au 12 rue de la paix et puis", "au [adresse] et puis"),
        ("12 rue d'Alsace-Lorraine", "[adresse]"),
        ("au 3 bis avenue Jean Jaurès, 31000 Toulouse.", "au [adresse]."),
        ("au 8 ter, boulevard Voltaire 75011 Paris", "au [adresse]"),
        ("Envoyez à 75011 Paris.", "Envoyez à [adresse]."),
        ("5 allée du Moulin, 69100 Villeurbanne", "[adresse]"),
    ],
)
def test_postal_addresses_are_redacted(text, expected):
    assert ql.redact_personal_data(text) == expected


def test_ordinary_testimony_is_left_alone():
    text = "Depuis 2023, je travaille 24 heures par semaine et j'ai 2 enfants."
    assert ql.personal_data(text) == []


def test_pseudonymise_redacts_every_field_unless_told_not_to():
    e = ev(
        "Joignable au 06 12 34 56 78 ou ana@exemple.fr",
        source="Entretien ana@exemple.fr",
        id="06 12 34 56 78",
    )
    out = ql.pseudonymise([e], [])[0]
    assert out.text == "Joignable au [tél.] ou [e-mail]"
    assert out.source == "Entretien [e-mail]"
    assert out.id == "[tél.]"
    assert ql.pseudonymise([e], [], redact=False)[0] == e


def test_a_report_warns_and_shows_no_personal_data(tmp_path):
    _, evidence, engagement = ik.examples.load_example_interviews()
    leaky = ql.Evidence(
        id="Entretien_Helene_Dupont@1-40",
        kind="testimony",
        text=(
            "Hélène Dupont : appelez-moi au 06 12 34 56 78, j'habite 12 rue des Lilas 75011 Paris."
        ),
        stakeholder="families",
        nodes=("carer_respite",),
        consent=True,
        person="Hélène Dupont",
        source="Entretien_Helene_Dupont.docx",
    )
    model = ik.examples.load_example().evolve(evidence=(*evidence, leaky), engagement=engagement)
    res = ik.sroi(model)
    with pytest.warns(ImpactkitWarning, match=r"personal data redacted.*address.*phone"):
        page = ik.report.html(res, lang="fr")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactkitWarning)
        md = ik.report.markdown(res, lang="fr")
    for text in (page, md):
        for secret in ("Helene", "Hélène", "Dupont", "06 12 34 56 78", "Lilas", "75011"):
            assert secret not in text
        assert "[tél.]" in text or "\\[tél.\\]" in text  # brackets escaped in Markdown


def test_the_shipped_interviews_raise_no_warning():
    _, evidence, engagement = ik.examples.load_example_interviews()
    model = ik.examples.load_example().evolve(evidence=evidence, engagement=engagement)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ql.stakeholder_voice(ik.sroi(model))


# ----------------------------------------------------------------- property
LETTERS = "abcdefghijklmnopqrstuvwxyzàâäçéèêëîïôöùûüÿœæ"
WORD = st.text(alphabet=LETTERS, min_size=2, max_size=10)
FORMS = [
    str.lower,
    str.upper,
    str.title,
    strip_accents,
    lambda s: strip_accents(s).upper(),
    lambda s: unicodedata.normalize("NFD", s),
    lambda s: unicodedata.normalize("NFD", s.upper()),
    lambda s: s.replace(" ", "_"),
    lambda s: strip_accents(s).replace(" ", "_").upper(),
    lambda s: s.replace(" ", "-"),
]


def _words(text):
    return [
        w
        for w in re.split(r"[\W_]+", strip_accents(unicodedata.normalize("NFKC", text)).casefold())
        if w
    ]


@settings(max_examples=300, deadline=None)
@given(
    first=WORD,
    last=WORD,
    form=st.sampled_from(range(len(FORMS))),
    listed=st.sampled_from(range(len(FORMS))),
)
def test_a_name_in_any_case_accent_or_decomposed_form_never_survives(first, last, form, listed):
    name = f"{first} {last}"
    context = ["merci", "beaucoup", "vraiment"]
    key = _words(name)
    assume(len(key) == 2 and not set(key) & set(context))
    text = f"Merci {FORMS[form](name)}, beaucoup. {FORMS[form](name)} vraiment"
    out = ql.pseudonymise(
        [ev(text, source=f"Entretien_{FORMS[form](name)}.docx")], [FORMS[listed](name)]
    )[0]
    for field in (out.text, out.source):
        words = _words(field)
        pairs = list(itertools.pairwise(words))
        assert tuple(key) not in pairs, (field, name)
    assert out.text == "Merci [P1], beaucoup. [P1] vraiment"
