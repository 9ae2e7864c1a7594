"""Bringing an existing network: coordinators import places from a spreadsheet.

``read_file(upload)`` reads a CSV or XLSX file into rows (one dict of raw cells per line, under
the keys of ``COLUMNS``); ``analyse(rows, by=…)`` tells what an import would do: the places it
would create, the duplicates it would skip (same RNA or SIRET, or same name and postcode, as a
registered place or an earlier line), and every invalid cell (line, column, reason) by the very
rules of a registration (``Place.clean`` and its validators, the invitation form's e-mail
field) and the coordinator's territory. ``import_places(rows=…, by=…)`` checks everything again
and creates the places as applicants, as registration does, inviting each contact address as
the place's representative, all in one transaction: one invalid line and nothing is created.
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from members import validators
from members.models import Activity, Place, PublicServed
from members.search import fold
from members.territory import place_in_scope

from . import MembersError
from . import places as place_services
from . import teams as team_services

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 50  # columns read from each line: the file's others are ignored
MAX_UNPACKED = 100 * 1024 * 1024  # an XLSX is a zip: what it may hold once unpacked
MAX_CELL = 1000  # characters kept of a cell (longer ones are invalid anyway: see the model)


class ImportFileError(MembersError):
    """The file cannot be read as a list of places (format, size, headers)."""


class ImportRefused(MembersError):
    """The import was refused as a whole: nothing was created."""


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the header of the template file, in the coordinator's language
    headers: tuple  # the headers accepted, French and English (compared by ``header_key``)
    help: str
    required: bool = False


COLUMNS = (
    Column(
        "name",
        _("nom"),
        ("nom", "nom du lieu", "nom public", "name", "place name"),
        _("Le nom public du lieu."),
        required=True,
    ),
    Column(
        "legal_name",
        _("raison sociale"),
        ("raison sociale", "structure", "legal name", "registered name", "organisation"),
        _("La raison sociale de la structure qui porte le lieu ; sinon, le nom du lieu."),
    ),
    Column(
        "rna",
        _("RNA"),
        ("RNA", "numéro RNA", "n° RNA", "RNA number"),
        _("W suivi de 9 chiffres. Indiquez le RNA, le SIRET ou les deux."),
    ),
    Column(
        "siret",
        _("SIRET"),
        ("SIRET", "numéro SIRET", "n° SIRET", "SIRET number"),
        _("14 chiffres, espaces acceptés ; la clé de contrôle est vérifiée."),
    ),
    Column(
        "street",
        _("adresse"),
        ("adresse", "rue", "address", "street", "street address"),
        _("Numéro et voie."),
    ),
    Column(
        "postcode",
        _("code postal"),
        ("code postal", "CP", "postcode", "post code", "postal code", "zip code"),
        _(
            "5 chiffres ; le département et la région en sont déduits. Il doit être dans votre territoire."
        ),
        required=True,
    ),
    Column(
        "commune",
        _("commune"),
        ("commune", "ville", "localité", "town", "city"),
        _("La commune du lieu."),
        required=True,
    ),
    Column(
        "email",
        _("e-mail"),
        (
            "e-mail",
            "email",
            "courriel",
            "mail",
            "e-mail de contact",
            "adresse e-mail",
            "contact e-mail",
            "e-mail address",
        ),
        _("L’adresse de la personne qui représentera le lieu : elle est invitée par e-mail."),
        required=True,
    ),
    Column(
        "activities",
        _("activités"),
        ("activités", "activities"),
        _("Facultatif : des activités de la liste ci-dessous, séparées par des points-virgules."),
    ),
    Column(
        "publics",
        _("publics"),
        ("publics", "publics accueillis", "public", "audiences"),
        _("Facultatif : des publics de la liste ci-dessous, séparés par des points-virgules."),
    ),
)
COLUMN = {column.key: column for column in COLUMNS}
IDENTIFIER_LABEL = _("RNA / SIRET")
LIST_SEPARATORS = re.compile(r"[;,|\n]+")


def name_key(name):
    """A place's name as duplicates are found, an item of a list as it is recognised:
    "L’Escale " and "l'escale" are the same."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(name)).split())


def header_key(text):
    """ "Code_Postal (obligatoire)" → "code postal": a header compared as a name (``name_key``),
    without what it says in brackets."""
    return name_key(re.sub(r"\([^)]*\)", " ", str(text or "")))


HEADERS = {header_key(h): column.key for column in COLUMNS for h in column.headers}


# --- Reading the file -------------------------------------------------------------------------


def _decode(data):
    """UTF-8 with or without a byte-order mark, UTF-16 ("Unicode text" from Excel), else
    Windows-1252 (Excel's "CSV" in French), else Latin-1 (which decodes anything)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _delimiter(text):
    """``;`` (Excel in French), ``,`` or a tab: the one the header line uses most."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _csv_lines(data):
    text = _decode(data)
    try:
        return [
            line[:MAX_COLUMNS]
            for line in csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
        ]
    except csv.Error as error:
        raise ImportFileError(
            _("Ce fichier CSV est illisible (%(error)s).") % {"error": error}
        ) from error


def _cell(value):
    """The text of a spreadsheet cell: 35000 (a number) → "35000", 7.3282932E13 → its digits."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def _xlsx_lines(data):
    import openpyxl  # defusedxml is installed (odfpy needs it): openpyxl parses safely

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
        if unpacked > MAX_UNPACKED:
            raise ImportFileError(
                _("Ce fichier est trop volumineux pour être importé en une fois : découpez-le.")
            )
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            lines, filled = [], 0
            for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                lines.append([_cell(value) for value in values])
                filled += any(lines[-1])
                # Enough to tell that there are too many (read_file says so), and no walk
                # through a million formatted but empty rows.
                if filled > MAX_ROWS + 1 or len(lines) > 4 * MAX_ROWS:
                    break
            return lines
        finally:
            workbook.close()
    except ImportFileError:
        raise
    except Exception as error:  # openpyxl raises many kinds on a damaged or foreign file
        raise ImportFileError(
            _("Ce fichier XLSX est illisible : enregistrez-le à nouveau depuis votre tableur.")
        ) from error


@dataclass
class Sheet:
    """What a file holds: its rows (``[{"row": n, "name": …, …}]``, ``n`` the line's number in
    the spreadsheet, the headers being line 1, every value a string) and the headers of the
    columns that were ignored."""

    rows: list
    ignored: list


def read_file(upload):
    """The ``Sheet`` of an uploaded CSV or XLSX file. ``ImportFileError`` when the file is too
    big, of another format, or lacks a column."""
    if upload.size > MAX_BYTES:
        raise ImportFileError(
            _("Le fichier dépasse %(size)d Mo : découpez-le en plusieurs fichiers.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )
    data = upload.read(MAX_BYTES + 1)
    name = (upload.name or "").lower()
    if name.endswith((".xls", ".ods", ".numbers")):
        raise ImportFileError(
            _("Ce format n’est pas lu : enregistrez le tableau au format XLSX ou CSV.")
        )
    if name.endswith((".xlsx", ".xlsm")) or zipfile.is_zipfile(io.BytesIO(data)):
        lines = _xlsx_lines(data)
    else:
        if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise ImportFileError(
                _(
                    "Ce fichier n’est ni un CSV ni un XLSX : enregistrez le tableau dans l’un de ces formats."
                )
            )
        lines = _csv_lines(data)
    return rows_from_lines(lines)


def rows_from_lines(lines):
    """The ``Sheet`` of a table (lists of cells) whose first non-empty line holds the headers."""
    numbered = [(n, [str(cell).strip() for cell in line]) for n, line in enumerate(lines, start=1)]
    filled = [(n, line) for n, line in numbered if any(line)]
    if not filled:
        raise ImportFileError(_("Le fichier est vide."))
    (_header_number, header), data = filled[0], filled[1:]
    keys, ignored = [], []
    for text in header:
        key = HEADERS.get(header_key(text))
        if key and key in keys:
            raise ImportFileError(
                _("La colonne « %(column)s » apparaît deux fois.") % {"column": text}
            )
        if text and not key:
            ignored.append(text)
        keys.append(key)
    missing = [c.label for c in COLUMNS if c.required and c.key not in keys]
    if "rna" not in keys and "siret" not in keys:
        missing.append(IDENTIFIER_LABEL)
    if missing:
        raise ImportFileError(
            _(
                "Colonne(s) manquante(s) : %(missing)s. La première ligne du fichier doit "
                "nommer les colonnes, comme le modèle à télécharger."
            )
            % {"missing": ", ".join(str(label) for label in missing)}
        )
    if len(data) > MAX_ROWS:
        raise ImportFileError(
            _("Le fichier compte plus de %(max)d lignes : découpez-le en plusieurs fichiers.")
            % {"max": MAX_ROWS}
        )
    if not data:
        raise ImportFileError(_("Le fichier ne contient aucun lieu sous la ligne des en-têtes."))
    rows = []
    for number, line in data:
        row = {"row": number}
        for key, value in zip(keys, line, strict=False):
            if key:
                row[key] = value[:MAX_CELL]
        rows.append(row)
    return Sheet(rows, ignored)


# --- What an import would do ------------------------------------------------------------------


@dataclass
class Problem:
    row: int
    column: str
    reason: str


@dataclass
class Candidate:
    """A line that would become a place: the unsaved, checked place and what goes with it."""

    row: int
    place: Place
    email: str
    activities: list
    publics: list


@dataclass
class Duplicate:
    row: int
    name: str
    reason: str
    existing: Place | None = None  # the registered place, when the coordinator may open it


@dataclass
class Analysis:
    rows: int = 0
    to_create: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    @property
    def invalid_rows(self):
        return sorted({problem.row for problem in self.problems})


def _references(model):
    """folded name, English name or slug → item, for a reference list."""
    found = {}
    for item in model.objects.all():
        for text in (item.name, item.name_en, item.slug):
            if text:
                found.setdefault(name_key(text), item)
    return found


def _pick(text, references, unknown):
    items, problems = [], []
    for part in LIST_SEPARATORS.split(text):
        if not part.strip():
            continue
        item = references.get(name_key(part))
        if item is None:
            problems.append(unknown % {"value": part.strip()})
        elif item not in items:
            items.append(item)
    return items, problems


def _email_field():
    """The invitation form's own e-mail field: the same rule as a representative's invitation."""
    from members.forms.teams import InvitationForm

    return InvitationForm.base_fields["email"]


# Model fields checked on each line, and the column each one's errors belong to.
FIELD_COLUMNS = {
    "name": "name",
    "legal_name": "legal_name",
    "rna": "rna",
    "siret": "siret",
    "street": "street",
    "postcode": "postcode",
    "commune": "commune",
}
NOT_CHECKED = [f.name for f in Place._meta.fields if f.name not in FIELD_COLUMNS]


def _check_row(raw, by, activities, publics):
    """(candidate or None, problems) for one line."""
    values = {column.key: (raw.get(column.key) or "").strip() for column in COLUMNS}
    row = raw["row"]
    place = _place(raw)
    place.legal_name = values["legal_name"] or values["name"]
    place.street = values["street"]
    place.commune = values["commune"]
    problems = []
    errors = {}
    try:
        # The model's own rules, as registration applies them: lengths, RNA, SIRET (Luhn),
        # postcode, at least one identifier; département and région derived from the postcode.
        # Uniqueness is checked below with every line at once.
        place.full_clean(exclude=NOT_CHECKED, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        errors = error.error_dict
    for name, field_errors in errors.items():
        key = FIELD_COLUMNS.get(name, name)
        if key == "legal_name" and not values["legal_name"]:
            continue  # the name stands for it: its own error says it all
        label = COLUMN[key].label if key in COLUMN else key
        if any(e.code == "identifier_required" for e in field_errors):
            label = IDENTIFIER_LABEL
        messages = []
        for message in ValidationError(field_errors).messages:
            if message not in messages:
                messages.append(message)
        problems.append(Problem(row, str(label), " ".join(messages)))
    email = ""
    try:
        email = _email_field().clean(values["email"])
    except ValidationError as error:
        problems.append(Problem(row, str(COLUMN["email"].label), " ".join(error.messages)))
    chosen = {}
    for key, references, unknown in (
        ("activities", activities, _("Activité inconnue : « %(value)s ».")),
        ("publics", publics, _("Public inconnu : « %(value)s ».")),
    ):
        chosen[key], unknowns = _pick(values[key], references, unknown)
        problems += [Problem(row, str(COLUMN[key].label), reason) for reason in unknowns]
    if "postcode" not in errors and place.departement and not place_in_scope(by, place):
        problems.append(
            Problem(
                row,
                str(COLUMN["postcode"].label),
                _(
                    "Ce lieu (département %(code)s – %(name)s) est hors de votre territoire : "
                    "seule la coordination de son territoire peut l’importer."
                )
                % {"code": place.departement, "name": place.departement_name},
            )
        )
    if problems:
        return None, problems
    return Candidate(row, place, email, chosen["activities"], chosen["publics"]), []


def _postcode(value):
    value = (value or "").strip()
    # A spreadsheet took "01000" for the number 1000: the postcode lost its leading zero.
    return "0" + value if re.fullmatch(r"\d{4}", value) else value


def _place(raw):
    """An unsaved place with the name, identifiers (normalised) and postcode of a line."""
    return Place(
        name=(raw.get("name") or "").strip(),
        rna=validators.normalise_rna(raw.get("rna", "")),
        siret=validators.normalise_siret(raw.get("siret", "")),
        postcode=_postcode(raw.get("postcode")),
    )


def _keys(place):
    """What makes two places the same: each identifier, and the name with the postcode."""
    keys = []
    if place.rna:
        keys.append(("rna", place.rna))
    if place.siret:
        keys.append(("siret", place.siret))
    if place.name.strip():
        keys.append(("name", name_key(place.name), place.postcode.strip()))
    return keys


def _chunks(values, size=500):
    values = sorted(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _registered(rows):
    """The registered places (their application stands) sharing a key with any line: key →
    place, in three queries per 500 distinct values."""
    probes = [_place(raw) for raw in rows]
    rnas = {place.rna for place in probes if place.rna}
    sirets = {place.siret for place in probes if place.siret}
    postcodes = {place.postcode for place in probes if place.postcode}
    standing = Place.objects.holding_identifiers().only(
        "pk", "name", "postcode", "rna", "siret", "status", "departement", "region"
    )
    found = {}
    for field_name, values in (("rna", rnas), ("siret", sirets), ("postcode", postcodes)):
        for chunk in _chunks(values):
            for place in standing.filter(**{f"{field_name}__in": chunk}).order_by("pk"):
                for key in _keys(place):
                    if key[0] == field_name or (field_name == "postcode" and key[0] == "name"):
                        found.setdefault(key, place)
    return found


DUPLICATE_REASONS = {
    "rna": (
        _("Même numéro RNA que « %(name)s », déjà inscrit."),
        _("Même numéro RNA qu’un lieu déjà inscrit hors de votre territoire."),
        _("Même numéro RNA que la ligne %(row)d."),
    ),
    "siret": (
        _("Même SIRET que « %(name)s », déjà inscrit."),
        _("Même SIRET qu’un lieu déjà inscrit hors de votre territoire."),
        _("Même SIRET que la ligne %(row)d."),
    ),
    "name": (
        _("Même nom et même code postal que « %(name)s », déjà inscrit."),
        _("Même nom et même code postal qu’un lieu déjà inscrit hors de votre territoire."),
        _("Même nom et même code postal que la ligne %(row)d."),
    ),
}


def analyse(rows, *, by):
    """What importing ``rows`` (``read_file``'s) as ``by`` would do; reads, never writes."""
    activities, publics = _references(Activity), _references(PublicServed)
    registered = _registered(rows)
    analysis = Analysis(rows=len(rows))
    first_row = {}  # key → the first line that has it
    for raw in rows:
        candidate, problems = _check_row(raw, by, activities, publics)
        analysis.problems += problems
        if candidate is None:
            for key in _keys(_place(raw)):
                first_row.setdefault(key, raw["row"])
            continue
        duplicate = None
        for key in _keys(candidate.place):
            in_portal, outside, in_file = DUPLICATE_REASONS[key[0]]
            existing = registered.get(key)
            if existing is not None:
                visible = place_in_scope(by, existing)
                duplicate = Duplicate(
                    candidate.row,
                    candidate.place.name,
                    (in_portal if visible else outside) % {"name": existing.name},
                    existing if visible else None,
                )
            elif key in first_row:
                duplicate = Duplicate(
                    candidate.row, candidate.place.name, in_file % {"row": first_row[key]}
                )
            if duplicate:
                break
        for key in _keys(candidate.place):
            first_row.setdefault(key, candidate.row)
        if duplicate:
            analysis.duplicates.append(duplicate)
        else:
            analysis.to_create.append(candidate)
    analysis.problems.sort(key=lambda problem: problem.row)
    return analysis


# --- Importing --------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: list
    duplicates: list
    rows: int


def may_import(user):
    """Coordinators holding the "add place" permission (their territory limits the lines)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm("members.add_place")
    )


def _lock_imports():
    """PostgreSQL: one import at a time, so two coordinators importing the same file at once
    cannot both create its places (SQLite takes its one write lock at the transaction's start)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('lcp-place-import'))")


@transaction.atomic
def import_places(*, rows, by):
    """Create the places of ``rows`` as applicants and invite each contact address as the
    place's representative; skip duplicates. Everything is checked again here: any invalid line
    and ``ImportRefused``, with nothing created. Importing the same rows twice creates nothing
    the second time."""
    if not may_import(by):
        raise ImportRefused(_("Seule la coordination du réseau peut importer des lieux."))
    _lock_imports()
    analysis = analyse(rows, by=by)
    invalid = analysis.invalid_rows
    if invalid:
        raise ImportRefused(
            ngettext(
                "Une ligne est invalide (ligne %(rows)s) : aucun lieu n’a été créé. Corrigez le "
                "fichier, puis importez-le à nouveau.",
                "%(count)d lignes sont invalides (lignes %(rows)s) : aucun lieu n’a été créé. "
                "Corrigez le fichier, puis importez-le à nouveau.",
                len(invalid),
            )
            % {
                "count": len(invalid),
                "rows": ", ".join(str(row) for row in invalid[:10])
                + (", …" if len(invalid) > 10 else ""),
            }
        )
    entries = [(c.place, c.activities, c.publics) for c in analysis.to_create]
    try:
        created = place_services.create_applicants(entries=entries, by=by)
        team_services.invite_representatives(
            invitations=[(c.place, c.email) for c in analysis.to_create], by=by
        )
    except MembersError as error:
        raise ImportRefused(
            _("L’import a échoué : %(reason)s Aucun lieu n’a été créé.") % {"reason": error.message}
        ) from error
    return ImportResult(created=created, duplicates=analysis.duplicates, rows=analysis.rows)
