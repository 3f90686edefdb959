"""What the demo's readers say: names and comment fragments, combined by the seeder."""

from __future__ import annotations

FIRST_NAMES: tuple[str, ...] = (
    "Aisha", "Ben", "Carys", "Dev", "Eleanor", "Farid", "Grace", "Harry", "Imogen", "Jamal",
    "Kate", "Liam", "Maya", "Niall", "Olu", "Paula", "Quentin", "Rosa", "Simon", "Tanvi",
    "Umar", "Vera", "Will", "Xenia", "Yusuf", "Zoe", "Alan", "Bridget", "Colin", "Deepa",
    "Euan", "Fiona", "Gareth", "Hana", "Ivan", "Joanne", "Kofi", "Lucy", "Martin", "Nadia",
)  # fmt: skip

SURNAMES: tuple[str, ...] = (
    "Ahmed", "Barker", "Chowdhury", "Davies", "Evans", "Fraser", "Gill", "Hughes", "Iqbal",
    "Jones", "Kowalski", "Lewis", "McAllister", "Nowak", "O'Brien", "Patel", "Quinn", "Reid",
    "Singh", "Thompson", "Underwood", "Vaughan", "Walsh", "Young", "Zielinski",
)  # fmt: skip

# How some readers sign their comments instead of with their full name.
HANDLES: tuple[str, ...] = (
    "MillLaneLifer", "KestwickCommuter", "RetiredNurse", "ValeGardener", "OldTownBaker",
    "EastbrookAlum", "SeasonTicket1987", "CyclingGran",
)  # fmt: skip

OPENERS: tuple[str, ...] = (
    "Agreed.", "Exactly this.", "I'm not so sure.", "Fair point.", "With respect, no.",
    "Good question.", "This.", "Spot on.", "Hmm.", "Respectfully disagree.", "Well put.",
    "Same here.", "I had the same thought.", "To be fair, it's complicated.",
    "Speaking as someone who was there:", "Honestly?", "Not quite.", "Yes and no.",
)  # fmt: skip

GENERIC_REPLIES: tuple[str, ...] = (
    "Do you have a source for that? I'd like to read it.",
    "That's not what the article says, though. Read the fourth paragraph again.",
    "I think we'll know a lot more in six months.",
    "People said exactly the same thing last time and it turned out fine.",
    "This is the first sensible comment on the whole thread.",
    "I don't disagree, but somebody has to pay for it.",
    "Thank you for explaining, that's genuinely helpful.",
    "It's easy to be wise in hindsight.",
    "You're both right to some extent.",
    "Good to see a proper discussion here for once.",
    "Happy to be proved wrong, but I doubt it.",
    "The numbers in the report tell a different story.",
    "Worth remembering the people this actually affects.",
    "Couldn't have put it better myself.",
    "I asked my councillor about this and got a very vague answer.",
    "Bit harsh, but I see where you're coming from.",
)

# Second sentences some readers add; they keep repeated points from reading as copies.
TAILS: tuple[str, ...] = (
    "Just my view.", "We'll see.", "Rant over.", "Time will tell.", "Simple as that.",
    "Not holding my breath.", "Happy to be corrected.", "Someone has to say it.",
    "That's what worries me most.", "Long overdue, frankly.", "Says it all really.",
    "Shame it took a report to say so.", "I've lived here 30 years and never seen it this bad.",
    "Would be good to hear from the people actually involved.", "Fingers crossed.",
)  # fmt: skip

TOPICS: dict[str, dict[str, tuple[str, ...]]] = {
    "riverside-athletic-takeover": {
        "points": (
            "Thirty-one years of the Pritchards and we never once went into administration. "
            "Whatever you think of them, they deserve some thanks.",
            "A promise to stay at Mill Lane isn't worth the paper it isn't written on. "
            "Get the **golden share** in writing or walk away.",
            "£15m over five years for the training ground and the women's team is more than we "
            "have seen in a decade. I'm cautiously optimistic.",
            "Who actually owns Halcyon? Until we know where the money comes from I'm not "
            "celebrating.",
            "Leveraged takeovers have wrecked clubs bigger than ours. Look at what happened "
            "when the debt was put on the club rather than the owners.",
            "The trust has done a brilliant job. A seat on the board should be non-negotiable.",
            "Okoro has had us playing the best football in years. *Full support for now* is "
            "the most worrying phrase in the whole article.",
            "9,400 average attendance and still losing nearly £5m a year. Something had to give.",
            "Been going since 1979 with my dad. If they ever touch the colours or the name, "
            "that's me done.",
            "Good luck to them. League One is a money pit and most investors get burnt.",
            "I'd rather a boring family owner than another fund looking for a quick profit "
            "on a stadium site.",
            "The haulage firm being involved is a good sign. Local money, local people.",
            "Repaying the family £11m in instalments - that's a decent chunk of the budget "
            "going out of the club every year.",
            "Can we please have a new roof on the East Stand before anything else.",
            "Other clubs taken over by American groups have had new stands built and "
            "academies expanded. It isn't always doom.",
            "The EFL test is a joke. It'll be waved through like all the others.",
            "Mill Lane is the club. Without it we're just a logo.",
            "I'd want to hear from the fans of the other clubs these people have bought.",
            "Remember when we were in the Conference and nobody wanted to buy us? "
            "Perspective, everyone.",
            "Honest question: what does a golden share actually stop in practice?",
            "This will be decided by results. Win in August and nobody will care who owns us.",
            "More investment in the women's team is long overdue. They outdrew us at the "
            "cup tie in March.",
        ),
        "replies": (
            "The golden share stops a move, a name change or new colours without the trust "
            "agreeing. It doesn't stop much else.",
            "Their other clubs are a mixed bag: one promotion, one relegation, no disasters.",
            "Halcyon's accounts are public in the US, if anyone fancies some light reading.",
            "Okoro will be fine if we're in the top six at Christmas.",
            "Season ticket prices are what I'm watching. That's where you find out.",
            "The Pritchards kept us alive, but they also kept us standing still.",
            "The stadium land is worth more than the club. That's the whole worry.",
            "Mill Lane has been there since 1911. It's not going anywhere without a fight.",
        ),
    },
    "northmoor-waiting-lists": {
        "points": (
            "My mum has waited 22 months for a new hip. She can barely walk to the shops now.",
            "The staff are amazing. This is a failure of planning and funding, not of the "
            "people on the wards.",
            "A surgical hub that opens *in the spring* is no help to anyone in pain today.",
            "One in five operations cancelled on the day is shocking. Imagine fasting, "
            "arranging childcare and then being sent home.",
            "We trained too few anaesthetists for years. You can't fix that in one budget.",
            "Agency nurses cost a fortune. Pay permanent staff properly and they'd stay.",
            "Bed blocking is the real story. Social care is where the money needs to go.",
            "I got a letter saying 'we have not forgotten you' after 14 months. That was it.",
            "As a physio at Northmoor: we'd love to see people while they wait. We just need "
            "the staff.",
            "Went private for my knee in the end. Shouldn't have had to.",
            "Credit to the chief executive for apologising rather than spinning it.",
            "Inspectors say 'compassionate care under sustained pressure' every year. "
            "When does the pressure count as the norm?",
        ),
        "replies": (
            "You can ask the GP to refer you to another hospital with a shorter wait. "
            "It took me two phone calls.",
            "Sorry to hear about your mum. Has she been offered the pain clinic?",
            "The hub should help, as long as its beds aren't used for winter patients.",
            "Private isn't an option for most people on a pension.",
            "The same report two years ago said almost exactly the same thing.",
        ),
    },
    "harbour-street-bridge": {
        "points": (
            "Doubling the cost before a spade is in the ground. Where have we heard that before?",
            "2,000 lorries a day through Fenwick Road would be unbearable. Fix the bridge.",
            "The cycle path is the best bit of this. It's terrifying to cycle over now.",
            "£1.1m a year in interest is money not spent on libraries and bin collections.",
            "Why wasn't this retendered? A redesign this big surely needs a fresh look.",
            "Corrosion doesn't care about politics. Delay just makes it dearer.",
            "Two and a half years of diversions for the 12 and the 40. My commute is doomed.",
            "The 2021 estimate was always fantasy. Construction costs went up by a third.",
            "At least someone finally made a decision. We've been talking about this bridge "
            "since I was at school.",
            "Would love to see the full engineers' report published, not just a summary.",
        ),
        "replies": (
            "The engineers' report is in the council papers for Monday's meeting, appendix C.",
            "The government fund only pays out if work starts by 2026, so a retender would "
            "have risked the £30m.",
            "Fenwick Road already has a 7.5 tonne limit on paper. Nobody enforces it.",
            "Borrowing for a 100-year asset is what councils are supposed to do.",
        ),
    },
    "hosepipe-ban": {
        "points": (
            "18 per cent lost to leaks and they call it a record. Fix the pipes first.",
            "Happy to do my bit, but £210m in dividends while we're watering with buckets "
            "is hard to swallow.",
            "No new reservoir in 40 years while the population has grown by a third.",
            "Water butts. Everyone should have one. Mine's still half full.",
            "My lawn will recover. It always does. Brown is the new green.",
            "Farmers are having a far worse time of this than gardeners.",
            "The ban should have come a fortnight ago, not after the reservoirs dropped.",
            "Can I still use a hose to fill the dog's water bowl? Asking for a labrador.",
            "Leakage is at its lowest ever and people are still furious. Can't win.",
            "We need grey water systems in new homes as standard.",
        ),
        "replies": (
            "Yes, watering cans are fine. It's hoses and sprinklers that are banned.",
            "The dividends went to the pension funds that own the company, for what it's worth.",
            "A new reservoir takes 15 years from planning to filling.",
            "Shower water on the tomatoes works a treat.",
        ),
    },
    "eastbrook-university-strike": {
        "points": (
            "One in three on temporary contracts is the real scandal here. You can't build "
            "a life on nine-month contracts.",
            "I'm a final-year student. I support the staff but I'm terrified about marking.",
            "Universities found money for new buildings and senior pay rises easily enough.",
            "3.5 per cent is a real-terms cut. Of course they're striking.",
            "If international applications are down 19 per cent, where is the 8 per cent "
            "supposed to come from?",
            "Thirty years ago I had a lecturer who'd been there a decade. Now the best young "
            "staff leave after two years.",
            "Strikes in exam season hurt the students more than the management.",
            "Stood with the pickets at the north gate this morning. Lots of support from "
            "passing drivers.",
        ),
        "replies": (
            "The building money comes from borrowing that can't be used for pay, to be fair.",
            "Check the assessment page. They've promised no one will be marked down.",
            "Exam season is when it has any effect. That's the point of striking.",
        ),
    },
    "car-free-saturdays": {
        "points": (
            "Brilliant idea. The old town is lovely when you can actually hear yourself think.",
            "The bakery on Tanners Lane relies on people popping in from the car. Eight weeks "
            "could finish some of these shops.",
            "Four blue badge bays is nowhere near enough.",
            "Tried this in my sister's town and the cafes loved it.",
            "Why Saturdays? Sundays would hurt trade less.",
            "Make the park and ride free on Saturdays and people will come.",
        ),
        "replies": (
            "The park and ride is already free for under-16s. Extending it would help.",
            "It's a trial. If it doesn't work, it stops. That's the point.",
        ),
    },
}

# Posted before a moderator removed them under the rule named.
REMOVED: tuple[tuple[str, str], ...] = (
    ("respect", "Anyone who thinks this is good news is an absolute idiot. Get a brain."),
    ("no-spam", "Make £500 a day from home!!! Click my profile for the secret system."),
    ("no-hate", "People like them should go back where they came from."),
)

EDITS: tuple[str, ...] = (
    "(Edited: corrected the figure, it's 9,400 not 9,000.)",
    "(Edit: typo.)",
    "(Edited to add: thanks for the replies, all fair points.)",
)

MODERATOR_AMENDED = (
    "A [personal detail removed by a moderator] was shared here; the rest of the comment stands."
)
