"""From results to paper, one blueprint per area, each module named as its URLs begin:
``facts`` (/organizer/facts), ``report`` (/organizer/contests/<id>/report), ``certificates``
(/certificates), ``calendar`` (/calendar), ``calendar_back`` (/calendar/back: the partners'
logos and the imprint), ``days_off`` (/organizer/days-off/<year>, for the
calendar), ``jobs`` (/jobs, the background exports and batches of certificates and calendar)
and the public ``gallery`` (/gallery). The PDFs themselves are made by
``contest.certificates``, ``contest.report`` and ``contest.wall_calendar``."""

from . import calendar, calendar_back, certificates, days_off, facts, gallery, jobs, report

blueprints = (facts.bp, report.bp, certificates.bp, calendar.bp, calendar_back.bp, days_off.bp,
              jobs.bp, gallery.bp)

__all__ = ["blueprints"]
