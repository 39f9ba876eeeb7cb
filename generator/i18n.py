"""The officer's language: every message, help text and summary in Simplified Chinese by default.

Finance officers' machines often have no locale set (or an English one), so the machine's locale
is deliberately not consulted: Chinese unless `--lang en` or SELFEVAL_LANG=en asks for English.
Messages are written in English in the code (the msgid) and translated in the gettext catalog
generator/locale/zh_CN/LC_MESSAGES/selfeval.po, compiled to the .mo shipped beside it (`make
messages` extracts, updates and compiles with Babel). A message missing from the catalog falls back
to its English text, and tests/test_i18n.py lists any such message.

Codes (E-WEIGHT) and file:line:column are never translated. A message with parameters is written
`_("… {name} …").format(name=…)`, so the catalog holds one entry per sentence, not per value; a
sentence with an optional tail is two entries, a count is ngettext, and a list or a set of choices
inside a sentence goes through join() and alternatives() ("a, b" / "a、b"; "'a' or 'b'" / "“a”或“b”").
Tests run in-process in English (tests/conftest.py) and through the command line in Chinese.
"""
from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "selfeval"
LOCALE_DIR = Path(__file__).with_name("locale")
ENV = "SELFEVAL_LANG"
DEFAULT = "zh_CN"
LANGUAGES = {"zh": "zh_CN", "zh_cn": "zh_CN", "zh-cn": "zh_CN", "zh_hans": "zh_CN", "zh-hans": "zh_CN",
             "en": "en", "en_us": "en", "en-us": "en", "en_gb": "en", "c": "en"}

_current: gettext.NullTranslations | None = None
_current_name = ""


def normalise(name: str | None) -> str | None:
    """'zh-CN', 'zh', 'en_US.UTF-8' → 'zh_CN' or 'en'; None for anything else."""
    if not name:
        return None
    return LANGUAGES.get(name.split(".")[0].strip().lower())


def set_language(name: str | None = None) -> str:
    """Use `name` (or SELFEVAL_LANG, or Chinese) from now on; returns the language chosen."""
    global _current, _current_name
    chosen = normalise(name) or normalise(os.environ.get(ENV)) or DEFAULT
    if chosen == "en":
        _current = gettext.NullTranslations()
    else:
        _current = gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[chosen], fallback=True)
    _current_name = chosen
    return chosen


def language() -> str:
    if _current is None:
        set_language()
    return _current_name


def _translations() -> gettext.NullTranslations:
    if _current is None:
        set_language()
    return _current  # type: ignore[return-value]


def _(message: str) -> str:
    """The message in the current language (its English text when the catalog lacks it)."""
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """'1 error' / '2 errors' in English; Chinese has one form. Use with .format(n=n)."""
    return _translations().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a message for extraction where it is defined; translate it with _() where it is shown."""
    return message


def join(items) -> str:
    """Items named in a sentence: 'a, b, c' in English, 'a、b、c' in Chinese."""
    items = [str(i) for i in items]
    text = items[0] if items else ""
    for item in items[1:]:
        text = _("{items}, {item}").format(items=text, item=item)
    return text


def alternatives(values) -> str:
    """Choices offered in a sentence: "'a', 'b' or 'c'" in English, "“a”、“b”或“c”" in Chinese."""
    quoted = [_("'{value}'").format(value=v) for v in values]
    if len(quoted) < 2:
        return "".join(quoted)
    return _("{choices} or {last}").format(choices=join(quoted[:-1]), last=quoted[-1])
