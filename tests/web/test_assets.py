"""Static files: hashed names cached for a year, the loader for minutes, compressed, ETag → 304."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import brotli
from fastapi.testclient import TestClient

from belowline.web import assets
from belowline.web.assets import IMMUTABLE, SHORT_LIVED, AssetTable, choose_encoding

EMBED = assets.STATIC_DIR / "embed"


def _hashed(client: TestClient, path: str) -> str:
    return assets.table().url(path)


def test_hashed_files_are_immutable_and_plain_names_short_lived(client: TestClient) -> None:
    url = _hashed(client, "embed/widget.js")
    assert re.fullmatch(r"/static/embed/widget\.[0-9a-f]{12}\.js", url)
    hashed = client.get(url)
    assert hashed.status_code == 200
    assert hashed.headers["cache-control"] == IMMUTABLE
    assert hashed.headers["content-type"].startswith("text/javascript")
    plain = client.get("/static/embed/widget.js")
    assert plain.headers["cache-control"] == SHORT_LIVED
    assert plain.content == hashed.content
    loader = client.get("/embed.js")
    assert loader.status_code == 200
    assert loader.headers["cache-control"] == SHORT_LIVED
    assert loader.headers["content-type"].startswith("text/javascript")


def test_loader_and_modules_name_each_other_by_hash(client: TestClient) -> None:
    table = assets.table()
    loader = client.get("/embed.js").text
    for name in ("widget.js", "embed.css", "dialogs.css", "reader.css"):
        hashed_name = table.by_path[f"embed/{name}"].hashed_path.removeprefix("embed/")
        assert f'"{hashed_name}"' in loader
        assert f'"{name}"' not in loader
    widget = client.get(table.url("embed/widget.js")).text
    imports = re.findall(r'from "\./([^"]+)"', widget)
    assert len(imports) >= 10
    for name in imports:
        assert re.fullmatch(r"[a-z0-9]+\.[0-9a-f]{12}\.js", name), name
        assert client.get(f"/static/embed/{name}").headers["cache-control"] == IMMUTABLE
    i18n = client.get(table.url("embed/i18n.js")).text
    for locale in ("en", "fr", "ar"):
        catalog = table.by_path[f"embed/locales/{locale}.json"].hashed_path
        assert f'"{catalog.removeprefix("embed/")}"' in i18n
        got = client.get(f"/static/{catalog}")
        assert got.status_code == 200 and got.json()


def test_a_change_below_renames_everything_above(tmp_path: Path) -> None:
    """Editing a module deep in the graph changes its own hash and its importers', not others'."""
    root = tmp_path / "static"
    (root / "embed").mkdir(parents=True)
    for path in EMBED.glob("*.js"):
        (root / "embed" / path.name).write_bytes(path.read_bytes())
    before = AssetTable(root)
    render = root / "embed" / "render.js"
    render.write_text(render.read_text("utf-8") + "\n// changed\n", "utf-8")
    after = AssetTable(root)

    def changed(name: str) -> bool:
        key = f"embed/{name}"
        return before.by_path[key].hashed_path != after.by_path[key].hashed_path

    assert changed("render.js")
    assert changed("card.js")  # imports render.js
    assert changed("widget.js")  # imports card.js
    assert changed("embed.js")  # loads widget.js
    assert not changed("api.js")  # imports nothing that changed


def test_import_cycles_are_hashed(tmp_path: Path) -> None:
    (tmp_path / "a.js").write_text('import { b } from "./b.js";\nexport const a = 1;\n')
    (tmp_path / "b.js").write_text('import { a } from "./a.js";\nexport const b = 2;\n')
    table = AssetTable(tmp_path)
    a, b = table.by_path["a.js"], table.by_path["b.js"]
    assert f'"./{b.hashed_path}"'.encode() in a.body
    assert f'"./{a.hashed_path}"'.encode() in b.body
    assert a.digest != b.digest


def test_brotli_then_gzip_then_identity(client: TestClient) -> None:
    url = _hashed(client, "dashboard/htmx.min.js")
    original = assets.table().by_hashed[url.removeprefix("/static/")].body
    br = client.get(url, headers={"Accept-Encoding": "gzip, br"})
    assert br.headers["content-encoding"] == "br"
    assert br.headers["vary"] == "Accept-Encoding"
    assert int(br.headers["content-length"]) < len(original) / 2
    gz = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert gz.headers["content-encoding"] == "gzip"
    assert int(gz.headers["content-length"]) < len(original) / 2
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert int(plain.headers["content-length"]) == len(original)
    # httpx decodes; all three are the same file.
    assert br.content == gz.content == plain.content == original
    assert len({br.headers["etag"], gz.headers["etag"], plain.headers["etag"]}) == 3


def test_compressed_bytes_on_the_wire_decode_to_the_file(client: TestClient) -> None:
    url = _hashed(client, "embed/embed.css")
    body = assets.table().by_hashed[url.removeprefix("/static/")].body
    with client.stream("GET", url, headers={"Accept-Encoding": "br"}) as r:
        raw = b"".join(r.iter_raw())
    assert brotli.decompress(raw) == body
    with client.stream("GET", url, headers={"Accept-Encoding": "gzip"}) as r:
        raw = b"".join(r.iter_raw())
    assert gzip.decompress(raw) == body


def test_etag_revalidates_to_304(client: TestClient) -> None:
    for url in ("/static/embed/widget.js", "/embed.js", _hashed(client, "pages.css")):
        first = client.get(url, headers={"Accept-Encoding": "gzip"})
        again = client.get(
            url, headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["etag"]}
        )
        assert again.status_code == 304, url
        assert again.content == b""
        assert again.headers["etag"] == first.headers["etag"]
        assert again.headers["cache-control"] == first.headers["cache-control"]
        # Another encoding is another representation: the gzip ETag does not match br.
        other = client.get(
            url, headers={"Accept-Encoding": "br", "If-None-Match": first.headers["etag"]}
        )
        assert other.status_code == 200


def test_etag_is_the_content_hash(client: TestClient) -> None:
    asset = assets.table().by_path["embed/api.js"]
    got = client.get("/static/embed/api.js", headers={"Accept-Encoding": "identity"})
    assert got.headers["etag"] == f'"{asset.digest}"'
    assert asset.hashed_path.endswith(f".{asset.digest}.js")
    own = hashlib.sha256((EMBED / "api.js").read_bytes()).hexdigest()
    assert len(asset.digest) == 12 and asset.digest != own[:12]  # covers its imports too


def test_unknown_files_and_stale_hashes_are_404_json(client: TestClient) -> None:
    for url in ("/static/embed/nope.js", "/static/embed/widget.000000000000.js", "/static/../x"):
        got = client.get(url)
        assert got.status_code == 404, url
        assert got.json()["error"]["code"] == "not_found"
    wrong = client.post("/static/embed/widget.js")
    assert wrong.status_code == 405
    assert wrong.json()["error"]["code"] == "method_not_allowed"


def test_dashboard_pages_link_hashed_files(client: TestClient) -> None:
    login = client.get("/moderate/login")
    assert login.status_code == 200
    links = re.findall(r'(?:href|src)="(/static/[^"]+)"', login.text)
    assert links, login.text[:500]
    for link in links:
        assert re.search(r"\.[0-9a-f]{12}\.(js|css)$", link), link
        assert client.get(link).headers["cache-control"] == IMMUTABLE


def test_accept_encoding_negotiation() -> None:
    assert choose_encoding("") == "identity"
    assert choose_encoding("gzip, deflate, br") == "br"
    assert choose_encoding("br;q=0, gzip") == "gzip"
    assert choose_encoding("*") == "br"
    assert choose_encoding("*;q=0, identity") == "identity"
    assert choose_encoding("gzip;q=0.5, br;q=0") == "gzip"
    assert choose_encoding("gzip;q=bad") == "identity"
