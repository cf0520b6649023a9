"""Page breaks that look ahead: a heading goes where the start of what follows it fits.

ReportLab keeps a flowable whose style says ``keepWithNext`` with the next one by wrapping
both in a ``KeepTogether``, which moves the pair to the next page whenever the *whole* of
the next one does not fit: a heading before a half-page table or a long paragraph leaves
the rest of the page empty (the reference report had a page 40 % empty that way). And it
never counts a container (an indicator's boxed header, a chart with its caption) as "the
next one", so a heading could still be stranded above one.

:class:`KeepWithStart` replaces it (``ReportDocTemplate.keepTogetherClass``): the headings
and captions of a chain stay on the page if the *start* of the flowable after them fits
there: a table's header with its first rows (the table's own ``split``, which honours
``repeatRows``, ``NOSPLIT`` and spans), two lines of a paragraph, or a container whole.
Otherwise the chain moves to the next page together.
"""

from __future__ import annotations

from reportlab.platypus import KeepTogether
from reportlab.platypus.doctemplate import FrameBreak
from reportlab.platypus.flowables import _listWrapOn

from itadesk.report.thai_text import ThaiParagraph

MIN_LINES = 2  # lines of a paragraph that must follow its heading on the same page
_TALL = 0xFFFFFF


def chain_follower_allowed(flowable) -> bool:
    """What may end a keep-with-next chain: anything drawn, containers included; not page
    or template actions."""
    return not hasattr(flowable, "frameAction") and not getattr(flowable, "locChanger", False)


class KeepWithStart(KeepTogether):
    """Leading flowables (headings, captions) kept with the start of the last one."""

    def _height(self, flowable, width: float) -> float:
        if isinstance(flowable, KeepTogether):  # its wrap says "split me"; measure what it holds
            return _listWrapOn(flowable._content, width, self.canv)[1]
        return flowable.wrapOn(self.canv, width, _TALL)[1]

    def _lead_height(self, width: float) -> float:
        *lead, last = self._content
        height = _listWrapOn(lead, width, self.canv)[1] if lead else 0.0
        gap = max(lead[-1].getSpaceAfter(), last.getSpaceBefore()) if lead else 0.0
        return height + gap

    def wrap(self, availWidth, availHeight):
        self._lead = self._lead_height(availWidth)
        self._H = self._lead + self._height(self._content[-1], availWidth)
        self._H0 = self._H
        self._wrapInfo = availWidth, availHeight
        return availWidth, _TALL  # always asked to split: the decision is made there

    def can_start(self, flowable, width: float, room: float) -> bool:
        """Whether ``flowable`` can put its start (see the module) into ``room`` points."""
        if room <= 0:
            return False
        if self._height(flowable, width) <= room + 1e-6:
            return True
        if isinstance(flowable, KeepTogether):
            return False
        parts = flowable.splitOn(self.canv, width, room)
        if len(parts) < 2:
            return False
        if isinstance(flowable, ThaiParagraph):
            first = parts[0]
            return first.wrap(width, room)[1] >= MIN_LINES * first.style.leading - 1e-6
        return True

    def split(self, aW, aH):
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        content = list(self._content)
        frame = getattr(self, "_frame", None)
        at_top = getattr(frame, "_atTop", False)
        if self._H <= aH + 1e-6 or at_top or self.can_start(content[-1], aW, aH - self._lead):
            return content
        return [FrameBreak()] + content


def phrase_end(paragraph: ThaiParagraph, width: float, lines: int) -> bool:
    """Whether the first ``lines`` lines of ``paragraph`` end where the officer typed a space
    (or a new line): a page break there cuts no phrase, so a viewer's search still finds it."""
    spans = paragraph._layout(width)
    if lines >= len(spans):
        return True
    return any(ch.isspace() for ch in paragraph.text[spans[lines - 1][1]:spans[lines][0]])


def clean_cut(paragraph: ThaiParagraph, width: float, fit: int, lowest: int) -> int:
    """The number of lines to leave before a page break: ``fit``, or up to two fewer (not
    below ``lowest``) where that ends a phrase."""
    for lines in range(fit, max(lowest, fit - 2) - 1, -1):
        if phrase_end(paragraph, width, lines):
            return lines
    return fit


class BodyParagraph(ThaiParagraph):
    """Running text that never leaves one line of a paragraph alone at the foot of a page
    (an orphan) or at the head of the next (a widow): it moves whole, or gives the next page
    one more line; and that breaks pages where a phrase ends if that costs at most two lines
    (copy and search do not cross a page). Not for table cells (pdf_tables cuts those)."""

    def split(self, availWidth, availHeight):
        lines = len(self._layout(availWidth))
        fit = int((availHeight + 1e-6) // self.style.leading)
        if fit >= lines:
            return [self]
        fit = min(fit, lines - MIN_LINES)
        if fit < MIN_LINES:
            return []
        fit = clean_cut(self, availWidth, fit, MIN_LINES)
        parts = super().split(availWidth, fit * self.style.leading)
        for part in parts:
            part.__class__ = BodyParagraph
        return parts


def keep_with_next(flowables: list) -> None:
    """``BaseDocTemplate.handle_keepWithNext`` with :class:`KeepWithStart`, and a container
    allowed to end the chain (ReportLab leaves it out, so a heading before a boxed block
    could be stranded)."""
    from reportlab.platypus.doctemplate import _ktAllow

    i, n = 0, len(flowables)
    while i < n and flowables[i].getKeepWithNext() and _ktAllow(flowables[i]):
        i += 1
    if not i:
        return
    if i < n and chain_follower_allowed(flowables[i]):
        i += 1
    chain = KeepWithStart(flowables[:i])
    for flowable in chain._content[:-1]:
        flowable.__dict__["keepWithNext"] = 0
    del flowables[:i]
    flowables.insert(0, chain)


__all__ = ["BodyParagraph", "KeepWithStart", "MIN_LINES", "clean_cut", "keep_with_next", "phrase_end"]
