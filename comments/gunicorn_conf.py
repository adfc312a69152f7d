"""gunicorn's configuration for the comment server (``gunicorn -c python:comments.gunicorn_conf``): its own refusals in French.

gunicorn refuses a request that is not valid HTTP before any application code runs: a
request line with bytes outside printable ASCII (RFC 9112 section 3.2: a path or a query
that is not UTF-8, sent raw) or longer than 4094 bytes, a malformed header. nginx passes
such requests on as they came, and gunicorn answered them with its own English page.
Every error page gunicorn writes goes through ``gunicorn.util.write_error`` (called from
``Worker.handle_error``); it is replaced here, once, in the master before it forks, by one
that keeps the status and writes the French message comments.errors gives that status.
tests/comments/test_malformed_requests.py fails if gunicorn stops calling it.
"""

from gunicorn import util

from comments import errors, web


def write_error_in_french(sock, status_int, reason, mesg):
    """gunicorn's ``util.write_error``, in French: ``mesg`` (gunicorn's English detail) goes to its log only."""
    body = web.json_body({"message": errors.SERVER_ERROR if status_int >= 500 else errors.BY_STATUS.get(
        status_int, errors.OTHER_REFUSAL)})
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/json; charset=utf-8\r\n"
        f"{web.FRENCH[0]}: {web.FRENCH[1]}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


util.write_error = write_error_in_french
