"""bench/scale.py --http stops at any answer but 200: a page that redirects to the log-in
page (a session the workers do not know) must not be measured as if it were the page."""

import http.server
import threading

import pytest

from bench import scale_http


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        logged_in = self.headers.get("Cookie") == "sessionid=good"
        if self.path == "/page/" and logged_in or self.path.startswith("/account/login/"):
            body = b"<!doctype html><title>page</title>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_response(302)
            self.send_header("Location", "/account/login/?next=/page/")
            self.send_header("Content-Length", "0")
            self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_page_is_measured_with_its_size(server):
    _ms, status, size = scale_http._get(server + "/page/", "sessionid=good")
    assert (status, size) == (200, len(b"<!doctype html><title>page</title>"))


def test_a_redirect_to_log_in_stops_the_run(server):
    with pytest.raises(SystemExit, match="302 /account/login/"):
        scale_http._get(server + "/page/", "sessionid=unknown")


def test_ten_users_stop_when_one_is_redirected(server):
    cookies = ["sessionid=good"] * (scale_http.USERS - 1) + ["sessionid=unknown"]
    with pytest.raises(SystemExit, match="ten users"):
        scale_http._ten_users(server + "/page/", cookies)
    times = scale_http._ten_users(server + "/page/", ["sessionid=good"] * scale_http.USERS)
    assert len(times) == scale_http.USERS * scale_http.USER_REQUESTS
