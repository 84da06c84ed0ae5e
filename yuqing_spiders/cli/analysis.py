"""`yuqing tag`: the per-item analysis of a text, a saved page or a batch, as JSON."""

from __future__ import annotations

import gc
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from yuqing_spiders.cli.app import app, console

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from yuqing_spiders.analysis.rules import Rules

# Keys of a --jsonl line passed on to the analysis besides title and text.
CONTEXT_KEYS = (
    "url",
    "ip_location",
    "author_location",
    "followers",
    "verified",
    "verified_type",
    "comments",
)


def _rules(path: Path | None) -> Rules:
    from yuqing_spiders.analysis.rules import RulesError, load_rules

    try:
        return load_rules(path) if path else load_rules()
    except RulesError as error:
        console.print(f"[red]rules not usable:[/red] {error}")
        raise typer.Exit(2) from error


def _loaded_once(path: Path | None) -> Rules:
    """The rules, loaded without the cyclic garbage collector, whose passes over the
    few hundred thousand objects of the gazetteer and the models would cost more than
    loading them; the objects are then frozen out of its sight for the rest of this
    short process (they live as long as it does)."""
    gc.disable()
    try:
        return _rules(path)
    finally:
        gc.freeze()
        gc.enable()


def _dump(result: dict[str, Any], indent: int | None) -> str:
    return json.dumps(result, ensure_ascii=False, indent=indent, default=str)


def _page(
    url: str, html: Path, encoding: str | None
) -> tuple[str | None, str | None, dict[str, Any]]:
    from spiders._base.registry import extract

    item = extract(url, html.read_bytes(), encoding)
    author = item.author
    context = {
        "url": url,
        "followers": author.followers,
        "verified": author.verified,
        "verified_type": author.verified_type,
        "ip_location": getattr(author, "ip_location", None),
        "author_location": getattr(author, "location", None),
    }
    return item.title, item.content, context


def _one_line(number: int, line: str, rules: Rules) -> dict[str, Any]:
    from yuqing_spiders.analysis.text_analysis import analyse_text

    try:
        record = json.loads(line)
        if not isinstance(record, dict):
            raise ValueError("a line must be a JSON object")
    except ValueError as error:
        return {"line": number, "error": f"not a JSON object: {error}"}
    text = record.get("text", record.get("content"))
    if not isinstance(record.get("title"), str | None) or not isinstance(text, str | None):
        return {"line": number, "error": "title and text must be strings"}
    context = {key: record[key] for key in CONTEXT_KEYS if key in record}
    result = analyse_text(record.get("title"), text, rules=rules, **context)
    if "id" in record:
        result = {"id": record["id"], **result}
    return result


def _lines(path: Path) -> Iterator[str]:
    handle = sys.stdin if str(path) == "-" else path.open(encoding="utf-8")
    try:
        yield from handle
    finally:
        if handle is not sys.stdin:
            handle.close()


def tag_batch(lines: Iterable[str], rules: Rules) -> Iterator[dict[str, Any]]:
    """One analysis (or `{"line", "error"}`) per non-blank input line, in order."""
    for number, line in enumerate(lines, 1):
        if line.strip():
            yield _one_line(number, line, rules)


@app.command()
def tag(
    text: Annotated[str | None, typer.Argument(help="The text to analyse.")] = None,
    title: Annotated[str | None, typer.Option(help="A title to go with TEXT or --file.")] = None,
    file: Annotated[Path | None, typer.Option(help="Analyse this UTF-8 text file.")] = None,
    url: Annotated[str | None, typer.Option(help="With --html: the page's real URL.")] = None,
    html: Annotated[Path | None, typer.Option(help="A saved page, read by its parser.")] = None,
    encoding: Annotated[str | None, typer.Option(help="With --html: force a charset.")] = None,
    jsonl: Annotated[
        Path | None,
        typer.Option(help='Batch: one {"title", "text", ...} per line ("-" = stdin).'),
    ] = None,
    rules: Annotated[
        Path | None, typer.Option(help="Rules file instead of settings/analysis.yaml.")
    ] = None,
    ip_location: Annotated[str | None, typer.Option(help="The poster's IP属地.")] = None,
    followers: Annotated[int | None, typer.Option(help="The author's followers (big-V).")] = None,
    verified: Annotated[bool | None, typer.Option(help="The author is verified.")] = None,
    verified_type: Annotated[int | None, typer.Option(help="Weibo verified_type.")] = None,
    platform: Annotated[
        str | None,
        typer.Option(
            help="Where the text was posted (weibo, douyin, …): picks the sentiment head."
        ),
    ] = None,
) -> None:
    """Print the full analysis (属地, departments, risk, sentiment, big-V, level) as JSON.

    The quickest way to check a rule: edit settings/analysis.yaml and tag a sentence.
    """
    modes = [
        m for m in (text is not None, file is not None, html is not None, jsonl is not None) if m
    ]
    if len(modes) != 1:
        raise typer.BadParameter("give exactly one of TEXT, --file, --url/--html, --jsonl")
    loaded = _loaded_once(rules)
    if jsonl is not None:
        _tag_jsonl(jsonl, loaded)
        return
    from yuqing_spiders.analysis.text_analysis import analyse_text

    context: dict[str, Any] = {
        "ip_location": ip_location,
        "followers": followers,
        "verified": verified,
        "verified_type": verified_type,
        "platform": platform,
    }
    if html is not None:
        if not url:
            raise typer.BadParameter("--html needs --url (the page's real URL picks the parser)")
        title, body, page_context = _page(url, html, encoding)
        context.update({k: v for k, v in page_context.items() if v is not None})
    else:
        body = file.read_text(encoding="utf-8") if file is not None else text
    print(_dump(analyse_text(title, body, rules=loaded, **context), indent=2))


def _tag_jsonl(path: Path, rules: Rules) -> None:
    done = bad = 0
    for result in tag_batch(_lines(path), rules):
        if "error" in result and "jurisdiction" not in result:
            bad += 1
        else:
            done += 1
        sys.stdout.write(_dump(result, None) + "\n")
    sys.stdout.flush()
    console.print(f"[dim]tag: {done} analysed, {bad} bad lines[/dim]")
