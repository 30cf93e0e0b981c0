"""News texts written for the dedup tests: one wire story, its copies, templated briefs."""

from __future__ import annotations

STORM_TITLE = "Storm cuts power to thousands across New Zealand's North Island"
STORM_PARAGRAPHS = (
    "WELLINGTON, New Zealand (AP) — A powerful storm swept across the North Island on "
    "Tuesday, cutting power to about 40,000 homes and closing two main highways, officials said.",
    "The MetService weather agency said gusts reached 140 kilometers per hour in exposed "
    "places overnight and warned that heavy rain would continue through Wednesday afternoon.",
    "Emergency Management Minister Mark Rutledge told reporters that crews were working to "
    "restore electricity but that some rural areas could remain without power for days.",
    '"We are asking people to stay off the roads unless their journey is essential," '
    "Rutledge said at a briefing in the capital, adding that the army was on standby.",
    "Schools in three districts were closed, and the national rail operator suspended "
    "services between Wellington and Palmerston North after a slip blocked the line.",
    "Farmers in the Hawke's Bay region reported flooded paddocks and missing stock, and the "
    "local council opened two evacuation centers for residents of low-lying streets.",
    "The storm is the third to strike the country this winter, and insurers said claims "
    "from the earlier two had already passed those of any previous season on record.",
)
STORM_TEXT = "\n\n".join(STORM_PARAGRAPHS)

LOCAL_INTROS = (
    "Readers in our region have been sending photos of fallen trees all morning.",
    "Our correspondent in Napier says the wind has eased but the rivers are still rising.",
    "Here is the latest from the wire on the weather that has kept many of you at home.",
    "Several of our own delivery vans were held up on the Desert Road this morning.",
)


def storm_copy(number: int) -> str:
    """A syndicated copy: re-headlined, sometimes with a local intro, sometimes trimmed."""
    kept = STORM_PARAGRAPHS[: 4 + number % 4]
    intro = LOCAL_INTROS[number % len(LOCAL_INTROS)] if number % 2 else ""
    return "\n\n".join(part for part in (intro, *kept) if part)


def storm_update() -> str:
    """A write-through: a new lead replaces the first paragraph; the body stays."""
    new_lead = (
        "WELLINGTON, New Zealand (AP) — Thousands of New Zealand homes were still without "
        "electricity on Wednesday as the clean-up began after a storm lashed the North Island."
    )
    return "\n\n".join((new_lead, *STORM_PARAGRAPHS[1:]))


def mortgage_brief(rate30: str, last_week: str, year_ago: str, rate15: str, day: str) -> str:
    """One week's mortgage-rate story: the wording of every week, this week's figures."""
    return (
        f"WASHINGTON (AP) — The average long-term U.S. mortgage rate moved to {rate30}% this "
        f"week, up from {last_week}% last week, mortgage buyer Freddie Mac said {day}.\n\n"
        f"A year ago, the rate on a 30-year loan averaged {year_ago}%. The average rate on "
        f"15-year fixed-rate mortgages, popular with homeowners refinancing their homes, "
        f"was {rate15}% this week.\n\n"
        "Rates have been volatile as investors weigh what the Federal Reserve will do next "
        "with its benchmark interest rate, and economists say borrowing costs are likely to "
        "stay elevated for the rest of the year as inflation cools only slowly.\n\n"
        "Higher rates can add hundreds of dollars a month to costs for borrowers, limiting how "
        "much they can afford in a market already out of reach for many Americans."
    )


def quake_brief(magnitude: str, place: str, depth: str, weekday: str) -> str:
    """An automated earthquake brief: same sentences, different quake."""
    return (
        f"A magnitude {magnitude} earthquake struck near {place} on {weekday}, the U.S. "
        f"Geological Survey said. The quake was centered {depth} kilometers below the surface.\n\n"
        "There were no immediate reports of damage or injuries. This story was generated "
        "automatically from information provided by the survey, and it may be updated as "
        "more details become available from local officials and emergency services.\n\n"
        "Earthquakes of this size are common in the region, which lies along a boundary "
        "between tectonic plates, and residents are advised to review their preparedness "
        "plans and keep emergency supplies ready at home and at work."
    )
