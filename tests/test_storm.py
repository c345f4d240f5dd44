"""The fault storm, time-compressed: 30 % 429s, a 5xx burst, an outage and slow answers (some later than the
client waits) delay channel posts, alerts and replies but lose none, and repeat only what went unanswered."""

from __future__ import annotations

from tests.storm import KINDS, Faults, run


async def test_a_fault_storm_delays_posts_alerts_and_replies_but_loses_none() -> None:
    faults = Faults(delays=(0.2, 2.5), outage=4.0, client_timeout=1.5, compressed=True)
    report = await run(readers_count=30, stories=2, faults=faults)
    for kind in KINDS:
        assert report.queued[kind] and report.ratio(kind) == 1.0, (kind, report)
    assert report.floods and report.errors_5xx, "the storm was not felt"
    assert sum(report.duplicates.values()) <= report.unanswered, report
    assert not report.refused  # nothing Telegram would refuse (429s and 5xx were the fake's own doing)
    print(
        f"storm (compressed): all arrived in {report.seconds:.1f} s; duplicates {dict(report.duplicates)}, "
        f"answers that came too late {report.unanswered}"
    )
