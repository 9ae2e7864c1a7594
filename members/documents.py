"""The general-assembly document of a place: its report as an editable *rapport d'activité*.

``general_assembly_odt(report, body)`` builds an OpenDocument text (LibreOffice and Word open
it) with odfpy: the place's identity and charter signature, then for each section of the
charter its commitments with level, narrative and actions, a chart of the levels (a PNG drawn
with Pillow) and the indicators as tables. The same content as PDF goes through
``members/reports/general_assembly.html`` and WeasyPrint. Written in the current language.
"""

import io

from django.conf import settings
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from odf import teletype
from odf.draw import Frame, Image
from odf.opendocument import OpenDocumentText
from odf.style import (
    GraphicProperties,
    ParagraphProperties,
    Style,
    TableColumnProperties,
    TextProperties,
)
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, List, ListItem, P
from PIL import Image as PillowImage
from PIL import ImageDraw

from members.models.reports import LEVEL_DESCRIPTIONS

CHART_WIDTH, CHART_ROW = 900, 34


def _styles(document):
    heading = {}
    for level, size in ((1, "20pt"), (2, "15pt"), (3, "12pt")):
        style = Style(name=f"Heading_{level}", family="paragraph")
        style.addElement(TextProperties(fontsize=size, fontweight="bold"))
        style.addElement(ParagraphProperties(margintop="0.3cm", marginbottom="0.15cm"))
        document.styles.addElement(style)
        heading[level] = style
    muted = Style(name="Muted", family="paragraph")
    muted.addElement(TextProperties(color="#555555", fontsize="9pt"))
    document.styles.addElement(muted)
    frame = Style(name="Chart", family="graphic")
    frame.addElement(GraphicProperties(anchortype="paragraph"))
    document.automaticstyles.addElement(frame)
    column = Style(name="Column", family="table-column")
    column.addElement(TableColumnProperties(columnwidth="8cm"))
    document.automaticstyles.addElement(column)
    return heading, muted, frame, column


def _paragraphs(parent, text):
    for block in (text or "").replace("\r\n", "\n").split("\n\n"):
        if block.strip():
            paragraph = P()
            teletype.addTextToElement(paragraph, block.strip())
            parent.addElement(paragraph)


def levels_chart(answers):
    """A PNG bar chart: one bar per commitment, its length the level (0 to 4)."""
    rated = [a for a in answers if a.level and a.level != "na"]
    height = max(1, len(rated)) * CHART_ROW + 20
    image = PillowImage.new("RGB", (CHART_WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    for row, answer in enumerate(rated):
        y = 10 + row * CHART_ROW
        draw.text((10, y + 8), answer.commitment.t_title()[:40], fill="#222222")
        width = int(int(answer.level) / 4 * (CHART_WIDTH - 360))
        draw.rectangle((340, y + 4, 340 + max(width, 4), y + CHART_ROW - 8), fill="#0b6e4f")
        draw.text((350 + width, y + 8), f"{answer.level}/4", fill="#222222")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue(), image.size


def general_assembly_odt(report, body, signature=None):
    """The ODT bytes. ``body`` is what the report pages show (sections with their answers,
    indicator groups); ``signature`` the place's signature of the charter, if any."""
    place = report.place
    document = OpenDocumentText()
    heading, muted, frame_style, column_style = _styles(document)
    text = document.text

    def h(level, content):
        element = H(outlinelevel=level, stylename=heading[level])
        teletype.addTextToElement(element, str(content))
        text.addElement(element)

    h(
        1,
        _("Rapport d’activité %(year)s — %(place)s")
        % {"year": report.campaign.year, "place": place},
    )
    _paragraphs(text, f"{place.legal_name} · {place.street} {place.postcode} {place.commune}")
    identifiers = " · ".join(
        filter(None, [place.rna and f"RNA {place.rna}", place.siret and f"SIRET {place.siret}"])
    )
    _paragraphs(text, identifiers)
    if signature:
        _paragraphs(
            text,
            _(
                "Signataire de la charte du réseau (version %(n)s) depuis le %(date)s ; code de "
                "vérification %(code)s."
            )
            % {
                "n": signature.version.number,
                "date": date_format(signature.signed_at.date()),
                "code": signature.verification_code,
            },
        )
    note = P(stylename=muted)
    teletype.addTextToElement(
        note,
        _("Document établi à partir du bilan « %(campaign)s » sur le portail %(site)s.")
        % {"campaign": report.campaign, "site": settings.SITE_NAME},
    )
    text.addElement(note)

    answers = [
        answer for _section, section_answers in body["sections"] for answer in section_answers
    ]
    png, (width, height) = levels_chart(answers)
    h(2, _("Nos engagements en un coup d’œil"))
    picture = document.addPicture("Pictures/niveaux.png", "image/png", png)
    holder = P()
    frame = Frame(
        stylename=frame_style,
        width=f"{16}cm",
        height=f"{16 * height / width:.2f}cm",
        anchortype="paragraph",
        name="niveaux",
    )
    frame.addElement(Image(href=picture))
    holder.addElement(frame)
    text.addElement(holder)

    for section, section_answers in body["sections"]:
        h(2, section.t_title())
        for answer in section_answers:
            h(3, answer.commitment.t_title())
            quote = P(stylename=muted)
            teletype.addTextToElement(quote, answer.commitment.t_text())
            text.addElement(quote)
            if answer.level:
                level = _("Niveau : %(level)s") % {"level": answer.get_level_display()}
                if answer.is_not_applicable:
                    level += f" — {answer.na_reason}"
                else:
                    level += f" — {LEVEL_DESCRIPTIONS[answer.level]}"
                _paragraphs(text, level)
            _paragraphs(text, answer.narrative)
            actions = [line.strip() for line in (answer.actions or "").splitlines() if line.strip()]
            if actions:
                items = List()
                for action in actions:
                    item = ListItem()
                    paragraph = P()
                    teletype.addTextToElement(paragraph, action)
                    item.addElement(paragraph)
                    items.addElement(item)
                text.addElement(items)

    h(2, _("Indicateurs"))
    for legend, rows in body["indicator_groups"]:
        h(3, legend)
        table = Table(name=str(legend)[:30])
        table.addElement(TableColumn(numbercolumnsrepeated=2, stylename=column_style))
        for indicator, value in rows:
            row = TableRow()
            shown = "—" if value is None else f"{number_format(value)} {indicator.t_unit()}"
            for content in (str(indicator), shown.strip()):
                cell = TableCell(valuetype="string")
                paragraph = P()
                teletype.addTextToElement(paragraph, content)
                cell.addElement(paragraph)
                row.addElement(cell)
            table.addElement(row)
        text.addElement(table)

    output = io.BytesIO()
    document.write(output)
    return output.getvalue()
