"""Answers users really type or paste, by category, and what each must end in.

Each case is ``(category, answers, refused)``: ``refused`` is None when the answers
must bake into a working project that shows the free text verbatim, or the name of
the answer the pre-gen hook must refuse. Answers not given keep their defaults.
"""

from typing import NamedTuple


class Case(NamedTuple):
    category: str
    answers: dict[str, str]
    refused: str | None = None

    @property
    def id(self) -> str:
        return f"{self.category}-{'-'.join(self.answers)}-{CASES.index(self)}"


LONG_TEXT = "A very long description that goes on and on. " * 60

CASES = [
    # Quotes and apostrophes.
    Case("quotes", {"project_name": "O'Brien's Shop"}),
    Case("quotes", {"author_name": "Seán O'Brien", "email": "o'brien@example.ie"}),
    Case("quotes", {"description": "It's the shop's 'best' 'site'"}),
    # Double quotes, including Python's and TOML's triple quotes.
    Case("double quotes", {"project_name": 'The "Best" Shop'}),
    Case("double quotes", {"description": 'Ends with a quote"""'}),
    Case("double quotes", {"author_name": '"Jr" """ \'\'\''}),
    # Backslashes, including ones that look like escapes.
    Case("backslashes", {"project_name": "C:\\new\\table", "project_slug": "shop"}),
    Case("backslashes", {"description": "Trailing backslash \\"}),
    Case("backslashes", {"author_name": "\\N{BULLET} \\u0000 \\x7f \\'"}),
    # Template syntax (typed at the prompt, so cookiecutter does not render it).
    Case("template syntax", {"project_name": "{{ cookiecutter.project_slug }}"}),
    Case("template syntax", {"description": "{% raw %}{% endraw %} {# not a comment"}),
    Case("template syntax", {"author_name": "{{ 7*7 }} {% if %}"}),
    Case("template syntax", {"project_name": "Shop {%- endif %} }}"}),
    # Line breaks, tabs and other control characters in one-line answers.
    Case("control characters", {"project_name": "My\nShop"}, "project_name"),
    Case(
        "control characters", {"description": "One line\r\nand another"}, "description"
    ),
    Case("control characters", {"author_name": "Tab\there"}, "author_name"),
    Case(
        "control characters",
        {"project_name": "\x1b[31mRed\x1b[0m", "project_slug": "shop"},
        "project_name",
    ),
    Case("control characters", {"email": "you@example.com\n"}, "email"),
    # Emoji and other non-ASCII.
    Case("non-ASCII", {"project_name": "Café Zoë 🚀"}),
    Case("non-ASCII", {"project_name": "电子商务", "project_slug": "dianzi"}),
    Case(
        "non-ASCII",
        {"author_name": "Zoë Ünïcödé", "description": "naïve émigré — “smart” quotes…"},
    ),
    Case("non-ASCII", {"project_name": "🚀🚀🚀"}, "project_slug"),
    # Right-to-left text, including an invisible direction override.
    Case("right-to-left", {"project_name": "متجر الكتب", "project_slug": "bookshop"}),
    Case("right-to-left", {"author_name": "חנות ספרים"}),
    Case("right-to-left", {"description": "abc\u202edcba\u202c and a\u200fmark"}),
    # Very long values.
    Case("very long", {"description": LONG_TEXT}),
    Case("very long", {"project_name": "Shop " * 100, "project_slug": "shop"}),
    Case("very long", {"project_name": "Shop " * 100}),
    Case("very long", {"project_slug": "shop_" * 60}, "project_slug"),
    # Leading and trailing spaces (given on the command line: prompts strip them).
    Case("spaces", {"project_name": "  My Shop  "}),
    Case("spaces", {"author_name": " Ann ", "description": " padded "}),
    Case("spaces", {"project_slug": " shop"}, "project_slug"),
    Case("spaces", {"email": " you@example.com "}, "email"),
    Case("spaces", {"timezone": "UTC "}, "timezone"),
    # Empty answers.
    Case("empty", {"description": "", "author_name": ""}),
    Case("empty", {"project_name": ""}, "project_name"),
    Case("empty", {"project_slug": ""}, "project_slug"),
    Case("empty", {"email": ""}, "email"),
    Case("empty", {"version": ""}, "version"),
    # Names that slugify to nothing usable.
    Case("name to slug", {"project_name": "???"}, "project_slug"),
    Case("name to slug", {"project_name": "Class"}, "project_slug"),
    Case("name to slug", {"project_name": "Match"}, "project_slug"),
    Case("name to slug", {"project_name": "Email"}, "project_slug"),
    Case("name to slug", {"project_name": "2 Fast 2 Furious"}, "project_slug"),
    Case("name to slug", {"project_name": "My Shop!"}),
    # Slugs that are not identifiers.
    Case("slug", {"project_slug": "my-shop"}, "project_slug"),
    Case("slug", {"project_slug": "my.shop"}, "project_slug"),
    Case("slug", {"project_slug": "MyShop"}, "project_slug"),
    Case("slug", {"project_slug": "1shop"}, "project_slug"),
    Case("slug", {"project_slug": "_shop2"}),
    # Slugs that would shadow a module the project imports.
    Case("shadowing", {"project_slug": "json"}, "project_slug"),
    Case("shadowing", {"project_slug": "asyncio"}, "project_slug"),
    Case("shadowing", {"project_slug": "whitenoise"}, "project_slug"),
    Case("shadowing", {"project_slug": "environ"}, "project_slug"),
    # E-mail addresses that are not.
    Case("email", {"email": "you at example.com"}, "email"),
    Case("email", {"email": "Your Name <you@example.com>"}, "email"),
    Case("email", {"email": "you@example"}, "email"),
    Case("email", {"email": "you@@example.com"}, "email"),
    Case("email", {"email": "first.last+tag@mail.example.co.uk"}),
    # Domains that are not.
    Case("domain", {"domain_name": "https://example.com"}, "domain_name"),
    Case("domain", {"domain_name": "example.com/shop"}, "domain_name"),
    Case("domain", {"domain_name": "example.com:8000"}, "domain_name"),
    Case("domain", {"domain_name": "bücher.de"}, "domain_name"),
    Case("domain", {"domain_name": "xn--bcher-kva.de"}),
    # Versions that are not PEP 440.
    Case("version", {"version": "v1.0"}, "version"),
    Case("version", {"version": "1.0-beta"}, "version"),
    Case("version", {"version": "2026.11.0rc1"}),
    # Time zones that do not exist.
    Case("timezone", {"timezone": "Mars/Olympus_Mons"}, "timezone"),
    Case("timezone", {"timezone": "GMT+2"}, "timezone"),
    Case("timezone", {"timezone": "../../etc/passwd"}, "timezone"),
    Case("timezone", {"timezone": "America/Argentina/Buenos_Aires"}),
]
