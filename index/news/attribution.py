"""Who said it: the speaker and kind of attribution of a news sentence.

News attributes nearly every claim: `"...," Khalifa said`, `Khalifa said the rebels ...`, `according to
the monitor`, `Khalifa told AFP`, `said the Observatory`, and `she said` for the last person named. Who
said it is part of the fact, so the answerer ("What did Turkey say?") and the claim checks (a claim that
puts Khalifa's words in Abdel Rahman's mouth) both need the speaker. Pure functions over plain text.

Quoted words are masked before the speaker is looked for (index/news/quotations.py: a name or verb inside
a quotation is not the sentence's speaker); "he"/"she" resolve to the last person (index/news/persons.py),
never to a date or a body; each speaker's phrase then carries how the article describes it
(index/news/speaker_context.py: "Erdoğan (Turkish President Recep Tayyip Erdoğan)", acronyms spelled out).

Roles: "quote" (the sentence quotes the speaker's words), "statement" (reported speech without quote
marks), "attributed" (`according to X`, or a figure credited to a source), "" (no attribution found).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.news.persons import NOT_A_NAME, opening_person, person
from index.news.quotations import MASK, QUOTE_CHARS, mask_quotes, quote_states
from index.news.speaker_context import describe

# Verbs of saying, in the forms news uses; "told" also covers "told AFP/reporters/the BBC".
_VERB = (
    r"(?:said|says|say|told|tells|added|adds|stated|states|explained|noted|warned|warns|announced|"
    r"claimed|claims|insisted|argued|argues|wrote|writes|tweeted|posted|confirmed|denied|"
    r"acknowledged|admitted|reported|urged|declared|commented|remarked|replied|responded|"
    r"estimated|predicted|suggested|stressed|emphasised|emphasized|cautioned|"
    r"blamed|accused|demanded|hoped|believes|believed|thinks|thought|spoke|continued|denies|"
    r"confirms|announces|insists|explains|urges|criticised|criticized|"
    r"described|describes|condemned|welcomed|vowed|pledged|promised|apologised|apologized|"
    r"indicated|praised|asked|answered|predicts|recalled|concluded|conceded|maintained|"
    r"denounced|called|calls|observed|alleged|alleges|characteri[sz]ed|threatened|rejected|"
    r"dismissed|reiterated|labell?ed|cited|underlined|reads|read|"
    # a statement put out: "Facebook released a statement which read ..."
    r"(?:released|issued|published|put\s+out)\s+(?:a|an)\s+(?:[\w-]+\s+)?"
    r"(?:statement|press\s+release|message|communiqu[eé]))"
)
# Between a subject and its verb: "Facebook further claimed", "Johnson has repeatedly stated".
_ADVERBS = (
    r"(?:(?:also|later|has|have|had|further|again|repeatedly|previously|then|once|still|already|"
    r"recently|publicly|reportedly|since|separately|subsequently|initially|officially|formally|earlier|"
    r"now|originally|additionally|privately|angrily|strongly|firmly|immediately|quickly|simply|"
    r"on\s+\w+)\s+)*"
)
_ANY_VERB = re.compile(rf"\b{_VERB}")
_SAYING_FORM = re.compile(_VERB)


def is_saying(word: str) -> bool:
    """Whether `word` is one of the verbs of saying speech is attributed by, in one of its forms
    ("write" by "writes", "tweet" by "tweeted"), for reading "What did X write?" as asking for
    what X said, with the same verbs the tagger knows."""
    word = word.lower()
    forms = {word, word + "s", word + "es", word + "ed", word + "d", word[:-1] + "ied"}
    return any(_SAYING_FORM.fullmatch(form) for form in forms)


_PRONOUN = re.compile(r"^(?:he|she|they|it|we|i)$", re.IGNORECASE)
# A run of capitalised words (with the small words names carry): "Syrian Observatory for Human Rights",
# "Rami Abdel Rahman", "Hayat Tahrir al-Sham", "the Kremlin" (article kept out of the name).
_NAME = re.compile(
    r"(?:[A-Z][\w'’.–-]*|al-[A-Z][\w-]*)"
    r"(?:\s+(?:(?:of|for|and|the|de|du|al|bin|von|van|la|le|del|da)\s+)*(?:[A-Z][\w'’.–-]*|al-[A-Z][\w-]*))*"
)
_CLAUSE_BREAK = re.compile(r"[\"“”;:,]|\s[—–]\s|\bthat\s")
_PARENTHESIS = re.compile(r"\s*\([^()]*\)")
_SPEAKER_BEFORE = re.compile(
    rf"(?P<subject>[^\"“”;:]{{1,160}}?)\s+{_ADVERBS}(?P<verb>{_VERB})\b(?P<after>\s+[A-Z])?"
)
# Inverted: '..., said the Observatory, which ...' / '"...," said Aaron Stein.': a short subject that
# ends the sentence or its clause (so '..., said the offensive appears to be' is no attribution).
_SPEAKER_AFTER = re.compile(
    rf"[,\"”]\s*{_VERB}\s+(?P<subject>(?:(?:the|a|an)\s+)?(?:(?:(?:[a-z][\w-]*\s+){{0,3}}"
    rf"{_NAME.pattern})\s*(?:[,.;]|$|"
    # a phrase of place or time may close a name: '"...," wrote Joshua Wong on Twitter.'
    r"(?=\s(?:on|in|at|after|before|during|to|from|via|per|when|while|last|this|yesterday|today)\b))|"
    r"[a-z][\w-]*(?:\s+[a-z][\w-]*)?\s*(?:[,.;]|$)))"
)
_ACCORDING = re.compile(
    r"\baccording to\s+(?P<subject>(?:the\s+)?[^,.;:\"“”]{1,120})", re.IGNORECASE
)
_LEADING_FILLER = re.compile(
    r"^(?:(?:but|and|meanwhile|however|also|yet|so|still|in a (?:post|statement|tweet|interview)"
    r"(?: on \w+)?|on \w+day|last \w+|earlier|later)\b\s*,?\s*)+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Attribution:
    role: str  # "quote" | "statement" | "attributed" | ""
    speaker: str | None = (
        None  # the name, as written: "Khalifa", "the Kremlin", "Rami Abdel Rahman"
    )
    phrase: str | None = None  # the whole speaker phrase: "Kremlin spokesman Dmitry Peskov"
    pronoun: bool = False  # the speaker was a pronoun, resolved (or not) from earlier sentences


NONE = Attribution("")


def _has_quote(text: str) -> bool:
    return any(c in text for c in QUOTE_CHARS)


def _strip_apposition(subject: str) -> str:
    """ "Dareen Khalifa, a researcher at the International Crisis Group," -> "Dareen Khalifa"; an
    apposition is the last comma-delimited piece right before the verb. When that piece is itself a
    bare name ("The mayor of London, Sadiq Khan,") the name is the speaker."""
    subject = subject.strip()
    if subject.endswith(","):
        subject = subject[:-1]
        if "," in subject:
            head, apposition = subject.rsplit(",", 1)
            bare = _NAME.fullmatch(apposition.strip())
            subject = apposition if bare else head
    return subject.strip()


_PREPOSITION = re.compile(r"\b(?:of|in|at|for|from|with|by|on|to)\s+(?:the\s+)?$", re.IGNORECASE)
_NOT_A_SPEAKER = frozenset(
    {"that", "this", "as i", "as we", "as he", "as she", "i'm", "it", "which"}
)


def _head_name(subject: str) -> str | None:
    """The speaker's name inside a subject phrase: its last capitalised run that is not a modifier
    ("officials in Omsk"), else the noun phrase itself ("the ministry", "State election officials")."""
    subject = _LEADING_FILLER.sub("", subject.strip(" ,"))
    subject = re.sub(
        r"^(?:[Tt]he\s+)?[\w-]+-based\s+", "", subject
    )  # "the Britain-based Observatory"
    subject = re.sub(r"^(?i:who|which)\s+", "", subject)
    if not subject or subject.lower() in _NOT_A_SPEAKER:
        return None
    if _PRONOUN.match(subject):
        return subject.lower()
    names = [
        m
        for m in _NAME.finditer(subject)
        if m.group().lower() not in {"the", "a", "an"}
        and re.sub(r"^The\s+", "", m.group()).split()[0].lower() not in NOT_A_NAME
        and not _PREPOSITION.search(subject[: m.start()])
        # a capital that only starts a common noun phrase ("State and federal officials")
        and not (
            m.start() == 0 and re.match(r"\s+[a-z]", subject[m.end() :]) and " " not in m.group()
        )
    ]
    if names:
        name = names[-1].group()
        name = name[4:] if name.startswith("The ") else name
        head = re.split(r"\s+of\s+", name, maxsplit=1)[0]
        if head != name and len(head.split()) >= 2 and person(head):
            return head  # "Tom Brady of the Acme Institute": the person
        return name
    words = subject.split()
    if 1 <= len(words) <= 8:
        return subject  # "the ministry", "a spokesperson", "Hospital officials in Omsk"
    return None


# A subject that is a clause of its own, coordinated with the verb of saying: its own subject speaks.
_COORDINATED = re.compile(
    r"(?P<head>.+?)\s+(?:[a-z]{3,}ed|met|took|made|gave|held|spoke|went|came|sent|saw|wrote|won|"
    r"lost|began|left|led)\b.*\s(?:and|but)$"
)


def _speaker_from(subject: str) -> tuple[str | None, str]:
    phrase = _strip_apposition(_PARENTHESIS.sub("", subject))
    # The speaker is what follows the last clause break before the verb; when that is a clause
    # of its own ("..., opposed the withdrawal and said"), the last name before it.
    pieces = [p.strip(" ,") for p in _CLAUSE_BREAK.split(phrase) if p.strip(" ,")]
    if not pieces:
        return None, phrase
    last = pieces[-1]
    coordinated = _COORDINATED.match(last)  # "Erdoğan cited Article 5 ... and said"
    if coordinated and _NAME.search(coordinated.group("head")):
        last = coordinated.group("head")
    if (
        _NAME.search(last)
        or re.match(r"(?i)(?:the|a|an|its|his|her|their|some|many)\s", last)
        or (len(last.split()) <= 2 and not last.endswith(("and", "or", "but")))
    ):
        return _head_name(last), last
    for piece in reversed(pieces[:-1]):
        if _NAME.search(piece) and _head_name(piece):
            return _head_name(piece), piece
    return _head_name(last), last


# "Judge Miller's statement reads", "The government's counter-argument was that ...": what is said
# belongs to its possessor.
_POSSESSOR = r"(?P<subject>(?:\b(?:the|a|an)\s+)?(?:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*|[a-z][\w-]*))['’]s\s+"
_SPEECH_NOUN = (
    r"(?:(?:official|formal|written|own|public|latest|new)\s+)?"
    r"(?:statement|counter-argument|argument|ruling|opinion|letter|tweet|post|message|response|reply|"
    r"press\s+release|position|view|announcement|judgment|judgement|decision|verdict|testimony)"
)
_POSSESSED_SPEECH = re.compile(
    _POSSESSOR + _SPEECH_NOUN + r"\s+(?:reads?|read|was|is|says|said|stated|states|argued|added|"
    r"noted|called|claimed|warned|concluded|that)\b"
)
# Inverted: '"...," reads Judge Miller's statement.'
_READS_POSSESSED = re.compile(r"[,\"”]\s*(?:reads|read|says|said)\s+" + _POSSESSOR + _SPEECH_NOUN)


def attribute(sentence: str, inside: bool = False) -> Attribution:
    """The attribution of one sentence, without context (pronouns stay pronouns). `inside`: the
    sentence starts within a quotation opened by an earlier one."""
    original = " ".join(sentence.split())
    quoted = _has_quote(original)
    text = mask_quotes(original, inside)
    if inside and MASK in text and not quoted:
        quoted = True
    if not _ANY_VERB.search(text) and "'s " not in text and "’s " not in text:
        # most sentences report nobody: one cheap search decides
        return _according(text)
    match = _SPEAKER_AFTER.search(text)  # '"...," said Aaron Stein' / '..., said the Observatory'
    if match and re.match(r"[,\"”]\s*(?:told|tells|asked)\b", match.group(0)):
        match = None  # ", told the BBC": the one told is no speaker
    if match:
        subject = match.group("subject").rstrip(" ,.;")
        speaker, phrase = _speaker_from(_strip_apposition(subject))
        if speaker:
            return _make(quoted, speaker, phrase)
    found = _according(text)
    if found.speaker:
        return found
    match = _POSSESSED_SPEECH.search(text) or _READS_POSSESSED.search(text)
    if match:
        speaker = _head_name(match.group("subject"))
        if speaker:
            return _make(quoted, speaker, match.group("subject").strip())
    for match in _SPEAKER_BEFORE.finditer(text):
        subject = match.group("subject")
        if re.search(r"\b(?:is|was|were|are|be|been|being|to)(?:\s+\w+ly)?\s*$", subject, re.I):
            continue  # "it was reported", "Stream was announced", "to say": no speaker
        if match.group("after") and match.group(0).split()[-2].lower() == "called":
            continue  # "a town called Paris" names, it does not speak
        verb = match.group("verb").lower()
        if verb == "called" and re.match(r"\s+(?:off|up|in|out|back)\b", text[match.end("verb") :]):
            continue  # "called off its search", "called up reservists": no speech
        if re.search(
            r"\b(?:over|of|the|a|an|for|by|with|about|against|his|her|its|their)$", subject, re.I
        ):
            continue  # "over alleged plots", "the claimed victory": an adjective, not a verb
        speaker, phrase = _speaker_from(subject)
        if speaker and match.group("verb").lower() in _NOUN_LIKE and len(speaker.split()) > 3:
            continue  # "The accord resulted in rival fishing claims": a noun, not a verb
        if speaker:
            return _make(quoted, speaker, phrase)
    return NONE


# Verb forms that are also plural nouns: after a long common noun phrase they are the noun.
_NOUN_LIKE = frozenset(
    [
        "claims",
        "calls",
        "states",
        "reports",
        "reads",
        "notes",
        "remarks",
        "comments",
        "demands",
        "warns",
        "says",
        "thinks",
    ]
)


def _according(text: str) -> Attribution:
    match = _ACCORDING.search(text)
    if match:
        speaker = _head_name(match.group("subject"))
        if speaker:
            return Attribution("attributed", speaker, match.group("subject").strip(), False)
    return NONE


def _make(quoted: bool, speaker: str, phrase: str) -> Attribution:
    # '..., said Sheriff Bill Brown.': the sentence's full stop is not the name's
    speaker, phrase = _trim_stop(speaker), _trim_stop(phrase)
    return Attribution(
        "quote" if quoted else "statement", speaker, phrase, bool(_PRONOUN.match(speaker))
    )


def _trim_stop(name: str) -> str:
    last = name.rsplit(None, 1)[-1] if name.strip() else ""
    return name[:-1] if name.endswith(".") and len(last) > 4 and "." not in last[:-1] else name


def _quote_marks(text: str) -> int:
    return sum(text.count(c) for c in '"“”')


def attribute_all(sentences: Sequence[str]) -> list[Attribution]:
    """Attributions of an article's sentences in order, with pronouns resolved: "he"/"she" to the
    last person who spoke or opened a sentence ("Harry Kane won the award. He said, ..."), never to
    a date or a body; "they"/"it"/"we" to the last speaker of any kind.

    A quotation that runs over several sentences belongs to its speaker throughout: the sentences
    after an attributed opening (`X said, "A. B. C."`) and the ones before an attributed closing
    (`"A. B. C," X continued.`). Every speaker then carries the fullest description the article
    gives of it (index/news/speaker_context.py)."""
    out: list[Attribution] = []
    last_named: Attribution | None = None
    last_person: Attribution | None = None
    inside = False  # a quotation is open after the previous sentence
    owner: Attribution | None = None  # its speaker, once known
    unowned: list[int] = []  # sentences of the open quotation whose speaker comes later
    last_quoted: Attribution | None = None
    for sentence in sentences:
        began, ends = quote_states(" ".join(sentence.split()), inside)
        if began and not inside:  # '... information."': a quotation whose opening was missed
            inside, owner, unowned = True, last_quoted, []
        elif inside and not began:  # a new quotation opens: the previous one was left open
            inside, owner, unowned = False, None, []
        found = attribute(sentence, inside)
        if found.speaker and not found.pronoun:
            last_named = found
            if person(found.speaker):
                last_person = found
        elif found.pronoun:
            personal = found.speaker in ("he", "she", "i")
            antecedent = last_person if personal else last_named
            if antecedent:
                found = _as(found.role, antecedent, pronoun=True)
        if inside and found.role == "":
            if owner:
                found = _as("quote", owner)
            else:
                unowned.append(len(out))
        elif inside and found.speaker:
            for k in unowned:
                if k < len(out):
                    out[k] = _as("quote", found)
            unowned = []
        elif (
            not inside
            and found.role == ""
            and out
            and out[-1].role == "quote"
            and sentence.lstrip()[:1] in QUOTE_CHARS
        ):  # '"A," X said. "B."': the next quotation is still X's
            found = _as("quote", out[-1])
        flips = ends != inside
        if not inside and flips:
            inside, owner, unowned = True, (found if found.speaker else None), []
            if not found.speaker:
                unowned = [len(out)]
        elif inside and flips:
            if unowned and last_quoted:  # a paragraph of quotation after the speaker's own
                for k in unowned:
                    if k < len(out):
                        out[k] = _as("quote", last_quoted)
                if found.role == "":
                    found = _as("quote", last_quoted)
            inside, owner, unowned = False, None, []
        if found.role == "quote" and found.speaker:
            last_quoted = found
        if not found.speaker and not inside:
            opener = opening_person(sentence)
            if opener:
                last_person = Attribution("", opener, None, False)
        out.append(found)
    return describe(out, sentences)


def _as(role: str, source: Attribution, pronoun: bool = False) -> Attribution:
    """`source`'s speaker with another role (a quotation's later sentences, a resolved pronoun)."""
    return Attribution(role, source.speaker, source.phrase, pronoun)
