"""Small WSGI helpers shared by the comment server's middleware."""

import io
from ipaddress import ip_address, ip_network
import json
import re

# Isso refuses larger bodies itself (isso.wsgi.Request.max_content_length).
MAX_BODY = 256 * 1024


def route_path(environ):
    """The path as Isso routes it: without the ``X-Script-Name`` prefix a proxy may add, repeated slashes merged.

    Isso's router (werkzeug's Map, ``merge_slashes``) takes ``//new`` for ``/new``: every
    layer that decides by route must see that route too, or a doubled slash (which nginx
    merges, but another proxy may not) skips them.
    """
    path = re.sub(r"/{2,}", "/", environ.get("PATH_INFO", "") or "/")
    script_name = environ.get("HTTP_X_SCRIPT_NAME")
    if script_name and path.startswith(script_name):
        path = path[len(script_name) :] or "/"
    return path


def client_address(environ, trusted_proxies):
    """The requester's address, read through trusted proxies as Isso does for its guard."""
    remote = environ.get("REMOTE_ADDR", "")
    if not trusted_proxies:
        return remote
    forwarded = [a.strip() for a in environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    for address in reversed(forwarded + [remote]):
        if address not in trusted_proxies:
            return address
    return remote


def counted_address(address):
    """The address a limit counts (comments.guard, comments.throttle): the client's IPv4 address, or its IPv6 /64.

    One subscriber holds a whole IPv6 /64 and may change address within it at will
    (privacy extensions do so daily), so counting single IPv6 addresses would limit
    nothing. IPv4 is counted per address: a neighbour in the same /24 is someone else.
    """
    try:
        parsed = ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def read_body(environ):
    """Read the request body once and put it back so that Isso can read it again.

    Returns None when the body is larger than Isso would accept.
    """
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY:
        return None
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    replace_body(environ, body)
    return body


def replace_body(environ, body):
    """Give the layers inside (and Isso) ``body`` to read instead of the request's own."""
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))


def json_body(payload):
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


# Marks the answers written in French, ours: comments.errors gives every other error answer a French body.
FRENCH = ("Content-Language", "fr")


def json_response(start_response, status, payload, headers=()):
    """Answer with a JSON body, shaped like Isso's own errors (``{"message": …}``), in French."""
    body = json_body(payload)
    start_response(
        status,
        [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(body))), FRENCH]
        + list(headers),
    )
    return [body]


def error(start_response, status, message, headers=()):
    return json_response(start_response, status, {"message": message}, headers)


def call_buffered(app, environ):
    """Run ``app`` and collect its whole answer: (status, headers, body)."""
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"], captured["headers"] = status, list(headers)
        return lambda data: captured.setdefault("written", []).append(data)

    iterable = app(environ, start_response)
    try:
        chunks = list(iterable)
    finally:
        if hasattr(iterable, "close"):
            iterable.close()
    body = b"".join(captured.get("written", []) + chunks)
    return captured["status"], captured["headers"], body


def header(headers, name):
    """First value of a header in a WSGI header list, or None."""
    name = name.lower()
    return next((value for key, value in headers if key.lower() == name), None)


def rewrite_json(app, environ, start_response, rewrite, success_only=False):
    """Run ``app`` and answer with its JSON body (an object or a list) passed through ``rewrite``.

    For the layers that change what Isso's JSON answers say (escaping, typography); an
    answer that is not JSON, or not parsable, passes as it is.
    """
    status, headers, body = call_buffered(app, environ)
    content_type = (header(headers, "Content-Type") or "").lower()
    if content_type.startswith("application/json") and body and (status.startswith("2") or not success_only):
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        if isinstance(data, (dict, list)):
            body = json.dumps(rewrite(data)).encode("utf-8")
            headers = replace_body_headers(headers, body)
    start_response(status, headers)
    return [body]


def replace_body_headers(headers, body):
    """Headers for a rewritten body: the right Content-Length."""
    rest = [(k, v) for k, v in headers if k.lower() != "content-length"]
    return rest + [("Content-Length", str(len(body)))]
