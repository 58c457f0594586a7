"""Win/loss record against a competitor."""


def reason_summary(counts, no_reason_label):
    """``"Price (3), Delivery time (1)"`` from ``{reason name or None: count}``.

    Most frequent first, then by name, so the summary is stable; losses without a
    reason are counted under ``no_reason_label`` rather than dropped.
    """
    merged = {}
    for reason, count in counts.items():
        if not count:
            continue
        label = reason or no_reason_label
        merged[label] = merged.get(label, 0) + count
    ordered = sorted(merged.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{label} ({count})" for label, count in ordered)
