"""The rules a new site starts with; editors rewrite them in the dashboard."""

INTRO = (
    "These rules keep the conversation below our journalism worth reading. "
    "You are personally responsible for what you post. Moderators may amend or remove "
    "comments that break these rules, and will tell you which rule and why."
)

DEFAULT_RULES: list[tuple[str, str, str]] = [
    (
        "respect",
        "Be civil",
        "Criticise ideas, not people. No abuse, harassment, threats or insults aimed at other "
        "readers, our journalists or the people in the story.",
    ),
    (
        "no-hate",
        "No hate speech",
        "No attacks on people for their race, ethnicity, religion, sex, gender identity, sexual "
        "orientation, disability or age.",
    ),
    (
        "on-topic",
        "Stay on topic",
        "Keep to the subject of the article or the comment you are answering.",
    ),
    (
        "truthful",
        "Do not spread untruths",
        "Do not post claims you know to be false or misleading, and do not defame anyone. "
        "Court reporting restrictions apply here as anywhere.",
    ),
    (
        "no-spam",
        "No spam or advertising",
        "No commercial promotion, repeated posts, link farming or flooding.",
    ),
    (
        "privacy",
        "Respect privacy",
        "Do not post anyone's personal details, such as addresses, phone numbers or private "
        "messages.",
    ),
    (
        "impersonation",
        "Be yourself",
        "Do not impersonate other people, and do not use more than one account.",
    ),
]
