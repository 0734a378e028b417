"""The publishers one installation hosts, each with its own catalogue.

NKOD takes a catalogue's publisher from the data box that registers it, so every organisation
registers its own catalogue endpoint (../shared/notes/nkod-and-dcat-ap-cz.md §0.5). The
installation's own publisher comes from ``LOD_PUBLISHER``/``LOD_PUBLISHER_NAME``/``LOD_CONTACT_*``;
others are declared by IČO in ``LOD_PUBLISHERS`` (``[publishers."00275808"]`` in ``lod.toml``).
Each publisher with an IČO has the catalogue ``/publishers/<ičo>/catalog`` listing only its
datasets; ``/catalog`` lists every dataset of the installation.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..errors import BadInput
from ..iris import Iris
from ..namespaces import RPP_OVM

ICO = re.compile(r"^[0-9]{8}$")
FIELDS = {
    "name": "the publisher's name (Czech), required",
    "name_en": "its English name",
    "iri": "its IRI (default: the RPP OVM IRI of the IČO)",
    "type": "ADMS publisher type, e.g. LocalAuthority",
    "contact_name": "the contact point of its catalogue",
    "contact_email": "the contact point's e-mail",
    "homepage": "its catalogue's home page",
    "catalog_title": "its catalogue's title (Czech)",
    "catalog_title_en": "its catalogue's title (English)",
    "catalog_description": "its catalogue's description (Czech)",
    "catalog_description_en": "its catalogue's description (English)",
}
PUBLISHER_TYPES = "http://purl.org/adms/publishertype/"


@dataclass(frozen=True)
class Publisher:
    iri: str
    ico: str | None
    name: str
    name_en: str = ""
    type: str = ""
    contact_name: str = ""
    contact_email: str = ""
    homepage: str = ""
    catalog_title: str = ""
    catalog_title_en: str = ""
    catalog_description: str = ""
    catalog_description_en: str = ""
    own: bool = False  # the installation's own publisher (LOD_PUBLISHER)

    @property
    def type_iri(self) -> str | None:
        return PUBLISHER_TYPES + self.type if self.type else None


def ico_of(iri: str) -> str | None:
    """The IČO of an RPP OVM IRI."""
    if iri.startswith(RPP_OVM):
        rest = iri[len(RPP_OVM) :].strip("/")
        return rest if ICO.match(rest) else None
    return None


def _own(settings) -> Publisher:
    iri = settings.publisher_iri
    return Publisher(
        iri=iri,
        ico=ico_of(iri),
        name=settings.publisher_name,
        type=settings.publisher_type,
        contact_name=settings.contact_name,
        contact_email=settings.contact_email,
        homepage=settings.homepage,
        catalog_title=settings.catalog_title,
        catalog_title_en=settings.catalog_title_en,
        catalog_description=settings.catalog_description,
        catalog_description_en=settings.catalog_description_en,
        own=True,
    )


def _declared(ico: str, entry: dict) -> Publisher:
    values = {k: str(v) for k, v in entry.items()}
    iri = values.pop("iri", "") or RPP_OVM + ico
    name = values.pop("name")
    return Publisher(iri=iri, ico=ico, name=name, **values)


def check_settings(settings) -> None:
    """Fail at start, with a hint, on a malformed ``LOD_PUBLISHERS``."""
    for ico, entry in settings.publishers.items():
        where = f"LOD_PUBLISHERS[{ico!r}]"
        if not ICO.match(str(ico)):
            raise BadInput(
                f"{where}: {ico!r} is not an IČO (8 digits)",
                hint='quote it in lod.toml: [publishers."00275808"]',
            )
        if not isinstance(entry, dict):
            raise BadInput(f'{where}: expected a table with at least name = "…"')
        for key, value in entry.items():
            if key not in FIELDS:
                close = difflib.get_close_matches(key, list(FIELDS), n=1)
                raise BadInput(
                    f"{where}: unknown key {key!r}",
                    hint=(f"did you mean {close[0]!r}? " if close else "")
                    + "known keys: "
                    + ", ".join(FIELDS),
                )
            if not isinstance(value, str):
                raise BadInput(f"{where}.{key}: expected text, got {value!r}")
        if not entry.get("name"):
            raise BadInput(f"{where}: name is required", hint=f'add name = "…" under {where}')
    if settings.draft_2026 and not (settings.contact_name and settings.contact_email):
        raise BadInput(
            "LOD_DRAFT_2026: the DCAT-AP-CZ 2026 drafts make the catalogue's contact point "
            "mandatory",
            hint="set LOD_CONTACT_NAME and LOD_CONTACT_EMAIL",
        )
    seen: dict[str, str] = {}
    for publisher in all_publishers(settings):
        if publisher.iri in seen:
            raise BadInput(f"publisher {publisher.iri} is declared twice")
        seen[publisher.iri] = publisher.name


def all_publishers(settings) -> list[Publisher]:
    """The installation's own publisher first, then the declared ones by IČO."""
    own = _own(settings)
    others = [
        _declared(ico, entry)
        for ico, entry in sorted(settings.publishers.items())
        if RPP_OVM + ico != own.iri or entry.get("iri")
    ]
    return [own, *others]


def by_iri(settings, iri: str) -> Publisher | None:
    return next((p for p in all_publishers(settings) if p.iri == str(iri)), None)


def by_ico(settings, ico: str) -> Publisher | None:
    return next((p for p in all_publishers(settings) if p.ico == ico), None)


def resolve(settings, value: str, *, where: str = "--publisher") -> Publisher:
    """A hosted publisher by IČO or IRI; unknown ones are refused with the list."""
    value = str(value).strip()
    found = by_ico(settings, value) if ICO.match(value) else by_iri(settings, value)
    if found is None:
        known = ", ".join(f"{p.ico or p.iri} ({p.name})" for p in all_publishers(settings))
        raise BadInput(
            f"publisher {value!r} is not hosted by this installation",
            where=where,
            hint=f'declare it in lod.toml as [publishers."<IČO>"] name = "…"; hosted: {known}',
        )
    return found


def catalog_iri(settings, publisher: Publisher) -> str:
    return Iris.of(settings).publisher_catalog(publisher.ico) if publisher.ico else ""


def catalog_description(settings, publisher: Publisher, iri: str) -> dict:
    """The OFN catalogue record (without datasets) of one publisher's catalogue at ``iri``."""
    from . import ofn

    name = publisher.name
    title = publisher.catalog_title or f"Katalog otevřených dat: {name}"
    title_en = publisher.catalog_title_en or (f"Open data catalogue: {publisher.name_en or name}")
    description = publisher.catalog_description or f"Lokální katalog otevřených dat: {name}."
    description_en = publisher.catalog_description_en or (
        f"Local open data catalogue: {publisher.name_en or name}."
    )
    doc: dict = {
        "@context": ofn.CONTEXT_2024,
        "iri": iri,
        "typ": "Katalog",
        "název": _langs(title, title_en),
        "popis": _langs(description, description_en),
        "poskytovatel": publisher.iri,
        "domovská_stránka": publisher.homepage or settings.homepage or settings.base + "/",
    }
    contact = contact_point(publisher) or contact_point(_own(settings))
    if contact:
        doc["kontaktní_bod"] = contact
    return doc


def contact_point(publisher: Publisher) -> dict | None:
    if not (publisher.contact_name or publisher.contact_email):
        return None
    contact: dict = {"typ": "Organizace"}
    if publisher.contact_name:
        contact["jméno"] = {"cs": publisher.contact_name}
    if publisher.contact_email:
        email = publisher.contact_email
        contact["e-mail"] = email if email.startswith("mailto:") else "mailto:" + email
    return contact


def _langs(cs: str, en: str) -> dict:
    return {k: v for k, v in (("cs", cs), ("en", en)) if v}


def registration(settings, publisher: Publisher) -> dict:
    """The JSON-LD NKOD's registration form produces for the publisher's catalogue, to be sent
    from the publisher's data box (../shared/notes/nkod-and-dcat-ap-cz.md §2.1)."""
    from . import ofn

    if not publisher.ico:
        raise BadInput(
            f"publisher {publisher.iri} has no IČO, so it has no catalogue of its own",
            hint="set LOD_PUBLISHER to the RPP OVM IRI (…/orgán-veřejné-moci/<IČO>) or the IČO",
        )
    iri = catalog_iri(settings, publisher)
    description = catalog_description(settings, publisher, iri)
    doc: dict = {
        "@context": ofn.CONTEXT_2024,
        "@type": ["Katalog", "https://data.gov.cz/slovník/nkod/DcatApLkod"],
        "přístupový_bod": iri,
        "název": description["název"],
    }
    if "kontaktní_bod" in description:
        doc["kontaktní_bod"] = description["kontaktní_bod"]
    doc["domovská_stránka"] = description["domovská_stránka"]
    return doc
