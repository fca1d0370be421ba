"""A signing of the declaration as a one-page PDF, in Korean with the English text beneath."""

from __future__ import annotations

import logging
from pathlib import Path

from fpdf import FPDF

from server.membership.business_number import format_number
from server.membership.declaration import Text
from server.models import DeclarationKind, DeclarationSigning

# fontTools warns on every PDF that NanumGothic's hinting-source tables (TSI*) are dropped from the subset:
# they are of no use in a PDF, so the warning says nothing an operator could act on.
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)

FONT = Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf")


class FontMissing(RuntimeError):
    """The Korean font is not installed: the operator installs it (Debian: `apt-get install fonts-nanum`)."""


def signing_pdf(signing: DeclarationSigning, text: Text) -> bytes:
    """The signed text, the four pledges and who signed when, on one A4 page."""
    if not FONT.is_file():
        raise FontMissing(f"The Korean font {FONT} is missing: install the Debian package fonts-nanum.")
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(18, 16, 18)
    pdf.add_page()
    pdf.add_font("Nanum", "", str(FONT))
    organization = signing.organization
    kind_ko, kind_en = (
        ("서명", "Signing") if signing.kind == DeclarationKind.SIGNING else ("재확인", "Re-affirmation")
    )
    pdf.set_title(f"{text.title_ko} - {organization.name_ko}")

    def write(size: float, line: str, *, gap: float = 1.5, align: str = "L") -> None:
        pdf.set_font("Nanum", size=size)
        pdf.multi_cell(0, size * 0.5, line, align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    write(17, text.title_ko, align="C", gap=0.5)
    write(10, f"{text.title_en} · {text.version}", align="C", gap=5)
    write(9.5, text.body_ko)
    for number, pledge in enumerate(text.pledges, start=1):
        write(9.5, f"{number}. {pledge.ko}", gap=0.8)
    pdf.ln(2)
    write(8, text.body_en, gap=1)
    for number, pledge in enumerate(text.pledges, start=1):
        write(8, f"{number}. {pledge.en}", gap=0.4)
    pdf.ln(6)
    write(10.5, f"{kind_ko} / {kind_en}: {signing.signed_on.isoformat()}", gap=1)
    write(
        12, f"{organization.name_ko}" + (f" ({organization.name_en})" if organization.name_en else ""), gap=1
    )
    if organization.business_number:
        write(9, f"사업자등록번호 / Business number: {format_number(organization.business_number)}", gap=1)
    signer = signing.signer_name + (f", {signing.signer_title}" if signing.signer_title else "")
    write(12, f"서명자 / Signed by: {signer}", gap=1)
    write(8, f"본문 판 / Text version: {signing.text_version} · 기록 번호 / Record no. {signing.id}", gap=1)
    return bytes(pdf.output())
