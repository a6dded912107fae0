"""Helpers the DOCX tests share: all text, fonts of every run, schema order of property elements."""

from docx.oxml.ns import qn

from piiplan.reports.layout import _ORDER

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def all_text(doc) -> str:
    """Every paragraph of the body, tables included, in document order, one per line."""
    return "\n".join(paragraph_texts(doc))


def paragraph_texts(doc) -> list[str]:
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in doc.element.body.iter(qn("w:p"))]


def run_fonts(doc) -> set[tuple[str, str, str, str]]:
    """(ascii, hAnsi, eastAsia, cs) of every run that has text."""
    out = set()
    for r in doc.element.body.iter(qn("w:r")):
        if not "".join(t.text or "" for t in r.iter(qn("w:t"))).strip():
            continue
        f = r.find(qn("w:rPr")).find(qn("w:rFonts"))
        out.add(tuple(f.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia", "cs")))
    return out


def order_violations(doc) -> list[str]:
    """Property children out of schema order (Word refuses such files)."""
    bad = []
    parts = [doc.element, doc.styles.element] + [s.header._element for s in doc.sections]
    for part in parts:
        for parent_name, order in _ORDER.items():
            seq = order.split()
            for el in part.iter(f"{W}{parent_name}"):
                names = [c.tag.split("}")[1] for c in el]
                idx = [seq.index(n) for n in names if n in seq]
                if idx != sorted(idx):
                    bad.append(f"{parent_name}: {names}")
    return bad
