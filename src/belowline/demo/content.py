"""The Demo Gazette's stories: original, fictional local and national news for the demo."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Article:
    """One story as the newspaper's own CMS would hold it."""

    slug: str
    section: str
    headline: str
    standfirst: str
    byline: str
    hours_ago: int
    paragraphs: tuple[str, ...]
    comments: int  # how many comments the demo seeds below it

    @property
    def text(self) -> str:
        """The article text Belowline keeps for off-topic triage."""
        return "\n\n".join((self.headline, self.standfirst, *self.paragraphs))


ARTICLES: tuple[Article, ...] = (
    Article(
        slug="riverside-athletic-takeover",
        section="Sport",
        headline="Riverside Athletic agree £62m takeover by American-led consortium",
        standfirst=(
            "Fans' trust demands a seat on the board as the club's owners of 31 years sell up, "
            "promising the new investors will keep the team at Mill Lane."
        ),
        byline="Tom Adeyemi, Sports Correspondent",
        hours_ago=20,
        comments=200,
        paragraphs=(
            "Riverside Athletic have agreed to be sold to a consortium led by the Boston-based "
            "investment firm Halcyon Sports Partners, ending three decades of ownership by the "
            "Pritchard family. The deal values the League One club at about £62m including debt "
            "and is expected to complete before the January transfer window, subject to approval "
            "by the English Football League.",
            "In a statement on Tuesday evening, chairman Graham Pritchard said the family had "
            '"taken the club as far as we responsibly can" and that the buyers had given '
            "written assurances that Riverside would continue to play at Mill Lane, its home "
            "since 1911. The consortium includes a former Premier League midfielder and a local "
            "haulage company, which will hold a minority stake.",
            "The Riverside Supporters' Trust welcomed the promise on the ground but said it was "
            '"not a substitute for a binding commitment". It wants a golden share giving fans '
            "a veto over any move, a change of club colours or a change of name, and a trust "
            "representative on the board.",
            "Halcyon's managing partner, Dana Whitfield, said the group planned to spend £15m on "
            "the training ground and women's team over five years and would \"listen before we "
            'change anything". She declined to say whether the manager, Steve Okoro, would keep '
            'his job, saying only that he had the consortium\'s "full support for now".',
            "The club posted a loss of £4.8m last season and owes £11m to the Pritchard family, "
            "which the buyers will repay in instalments. Average attendance rose to 9,400, its "
            "highest since promotion in 2019.",
            "The takeover is the third of a lower-league club by a US investment group in two "
            "years. Supporters' groups elsewhere have warned that leveraged deals can load clubs "
            "with debt, while others point to new stands and academies built with the money.",
        ),
    ),
    Article(
        slug="northmoor-waiting-lists",
        section="Health",
        headline="14,000 patients at Northmoor General have waited more than a year",
        standfirst=(
            "An inspectors' report blames a shortage of anaesthetists and a lack of beds for "
            "the longest waits in the region; the trust says a new surgical hub will help."
        ),
        byline="Priya Raman, Health Editor",
        hours_ago=30,
        comments=70,
        paragraphs=(
            "More than 14,000 patients at Northmoor General Hospital have been waiting over a "
            "year for planned treatment, the highest number of any trust in the region, "
            "according to a report published on Wednesday by the health inspectorate.",
            "Orthopaedics and gynaecology have the longest queues. Some hip and knee patients "
            "have waited almost two years, and inspectors found that 1 in 5 operations was "
            "cancelled on the day, most often because no bed was free on a ward after surgery.",
            'The report praises staff for "compassionate care under sustained pressure" but '
            "says the trust has too few anaesthetists, relies heavily on agency nurses, and "
            "lacked a clear plan for patients whose condition worsened while they waited.",
            'Northmoor\'s chief executive, Helen Marsh, said the figures were "not acceptable" '
            "and apologised to patients. A £28m surgical hub with four theatres and its own "
            "beds opens in the spring; the trust expects it to carry out 6,000 extra operations "
            "a year, protected from the winter pressures that close routine surgery elsewhere.",
            "Patient groups said people waiting in pain needed help now, not next year, and "
            "called for regular contact from the hospital and faster access to physiotherapy "
            "and pain clinics while people wait.",
        ),
    ),
    Article(
        slug="harbour-street-bridge",
        section="Local",
        headline="Council approves £48m to rebuild Harbour Street bridge as cost doubles",
        standfirst=(
            "Councillors back the scheme by 31 votes to 22 after engineers warn the 1960s "
            "crossing could be closed to lorries within three years."
        ),
        byline="Megan Holt, Local Democracy Reporter",
        hours_ago=44,
        comments=48,
        paragraphs=(
            "Kestwick City Council has approved £48m to replace the Harbour Street bridge, "
            "almost twice the £25m estimate given when the project was first proposed in 2021. "
            "The full council backed the plan by 31 votes to 22 on Monday night after a "
            "three-hour debate.",
            "Engineers told councillors that corrosion in the steel reinforcement was worse than "
            "surveys had shown and that, without work, a weight limit would have to be imposed "
            "by 2028, sending 2,000 lorries a day through residential streets.",
            "Officers blamed the higher cost on construction inflation, a redesign to add a "
            "separate cycle and walking path, and the need to keep one lane open during the "
            "works. Roughly £30m will come from a government fund for major roads; the council "
            "will borrow the rest.",
            "Opposition councillors said the borrowing would cost residents £1.1m a year in "
            "interest and asked why the scheme had not been put out to tender again. The cabinet "
            "member for transport, Aisha Brennan, said delay would only make the bridge more "
            "expensive and more dangerous.",
            "Work is due to start next autumn and last about two and a half years. Bus routes "
            "12 and 40 will be diverted while the southbound lane is closed.",
        ),
    ),
    Article(
        slug="hosepipe-ban",
        section="Environment",
        headline="Hosepipe ban from Friday as reservoirs fall to 54 per cent",
        standfirst=(
            "Three million customers face restrictions after the driest spring in 60 years; "
            "the water company says leakage is at its lowest level on record."
        ),
        byline="Ellie Morgan, Environment Correspondent",
        hours_ago=60,
        comments=42,
        paragraphs=(
            "A hosepipe ban will come into force on Friday for about three million households "
            "served by Vale Water, after the driest spring since records began in the region in "
            "1965 and a fortnight of temperatures above 30C.",
            "Customers will not be allowed to use a hosepipe to water gardens, clean cars, or "
            "fill paddling pools and ponds. Watering cans and buckets are allowed, as is using "
            "a hose for health or safety reasons. Breaking the ban can lead to a fine of up to "
            '£1,000, though the company said it would "rely on people\'s good sense".',
            "Reservoir levels stand at 54 per cent, against 81 per cent at this time last year. "
            "River flows in the upper Vale are the lowest recorded for June.",
            "Vale Water said it lost 18 per cent of the water it put into supply through leaks "
            "last year, its best figure so far, and is fixing 1,200 leaks a week. Campaigners "
            "said customers were being asked to make sacrifices while the company had not built "
            "a new reservoir in 40 years and had paid £210m in dividends over five years.",
            "The Met Office expects the hot weather to ease next week, but says several weeks of "
            "steady rain would be needed to refill reservoirs.",
        ),
    ),
    Article(
        slug="eastbrook-university-strike",
        section="Education",
        headline="Eastbrook lecturers begin five-day strike over pay and short contracts",
        standfirst=(
            "Exams could be disrupted as staff walk out for the second time this year; the "
            "university says it cannot afford the union's demands."
        ),
        byline="Jonah Fairweather, Education Reporter",
        hours_ago=74,
        comments=32,
        paragraphs=(
            "Lecturers, librarians and technicians at Eastbrook University began a five-day "
            "strike on Monday in a dispute over pay and the use of fixed-term contracts.",
            "The union says one in three teaching staff is on a temporary contract and that pay "
            "has fallen by a quarter in real terms since 2010. It wants a rise of 8 per cent and "
            "a commitment to move long-serving fixed-term staff on to permanent contracts.",
            "The university has offered 3.5 per cent. Its vice-chancellor, Professor Ruth "
            "Allardyce, said international student applications had fallen by 19 per cent and "
            'that a larger rise would mean cutting courses. "Nobody here wants a strike in '
            'exam season," she said.',
            "Students' union officers said they supported staff but were worried about marking. "
            "The university said all exams would go ahead and that students would not be "
            "penalised for lectures they missed.",
            "Pickets were at all three entrances to the main campus on Monday morning. Talks are "
            "due to resume through the conciliation service next week.",
        ),
    ),
    Article(
        slug="car-free-saturdays",
        section="Local",
        headline="Kestwick to trial car-free Saturdays in the old town this summer",
        standfirst=(
            "Traders are split over the eight-week pilot, which will close five streets to "
            "traffic from 10am to 5pm."
        ),
        byline="Megan Holt, Local Democracy Reporter",
        hours_ago=96,
        comments=14,
        paragraphs=(
            "Five streets in Kestwick's old town will be closed to cars every Saturday for eight "
            "weeks from July under a pilot approved by the council's transport committee.",
            "Castle Street, Bridge Row, Tanners Lane, St Mary's Walk and the upper part of the "
            "High Street will be open only to pedestrians, cyclists and emergency vehicles "
            "between 10am and 5pm. Blue badge holders will keep access to four parking bays.",
            "The council says footfall rose by 12 per cent in similar schemes in two other "
            "towns. Some cafe owners welcomed the chance to put tables outside, but the chair "
            "of the old town traders' group said shops relying on passing drivers could lose "
            "their best day of the week.",
            "Residents can give their views online or at the library until the end of the "
            "trial; the committee will decide in the autumn whether to make it permanent.",
        ),
    ),
    Article(
        slug="bridge-works-your-questions",
        section="Local",
        headline="Harbour Street bridge works: ask our reporter your questions",
        standfirst=(
            "Diversions, borrowing, the cycle path: Megan Holt, who has covered the scheme since "
            "2021, answers readers' questions below."
        ),
        byline="Megan Holt, Local Democracy Reporter",
        hours_ago=20,
        comments=0,  # questions and answers come from demo/qa.py
        paragraphs=(
            "The rebuilding of the Harbour Street bridge will close one lane for two and a half "
            "years from next autumn. Since the council approved the £48m scheme, readers have "
            "written to us with questions about what it means for them.",
            "Ask yours below. Our reporter and the newsroom's moderators answer them here; "
            "answered questions show the answer underneath, and you can choose to see only the "
            "questions still waiting for one.",
        ),
    ),
)


def article(slug: str) -> Article | None:
    """The article with this slug, if the paper published one."""
    return next((a for a in ARTICLES if a.slug == slug), None)


WHY_SUBSCRIBERS: tuple[str, ...] = (
    "We want the space below our stories to be worth reading: a place where people who "
    "follow the news closely argue about it well. Asking commenters to be subscribers is the "
    "simplest way we have found to keep out throwaway accounts, abuse, spam and deliberate "
    "falsehoods, because every comment comes from a reader we know.",
    "Everyone can read the comments. To post, reply or react you need an active "
    "subscription. If yours has lapsed you can still read along, and you can join in again "
    "as soon as you renew.",
    "You are personally responsible for what you post. We do not check comments before they "
    "appear. Our moderators step in when readers report a comment, or when something else "
    "brings it to our attention, and may amend or remove comments that break our community "
    "rules. When they do, they tell you which rule and why.",
)
