#!/usr/bin/env python3
"""HTTP/1.1 conformance of the oasgen server (RFC 9110, RFC 9112), checked two ways.

Each row of ROWS is raw bytes sent over one TCP connection to the real petstore server on
127.0.0.1, the RFC sentence that decides what the server must do, and the responses that sentence
requires (their statuses, and whether the server then closes the connection). Every row is also fed
to an independent parser, h11 (Debian python3-h11), acting as a server: it frames the same bytes
into requests or rejects them. The two parsers' framings are compared request by request:

  - they agree: nothing more to say;
  - they disagree and one of them rejects at the point where they part: allowed only when the row
    names the disagreement and the RFC sentence that decides it (`differs`); a row that names a
    disagreement that does not happen fails too, so the notes stay true;
  - they disagree and neither rejects (both accept, but frame different requests): request
    smuggling; always a failure.

A rejected framing must close the connection (RFC 9112 6.3, 9.6): every row that expects a
rejection checks that the server closes, even when more bytes follow.

Usage: conformance.py PETSTORE_SERVER. Prints one line per failure, every disagreement with its
reason, and `http: N passed, N failed`. Exit 0 when nothing failed.
"""
import concurrent.futures
import os
import re
import socket
import subprocess
import sys
import time

import h11

HEADER_LIMIT = 4096  # OASGEN_MAX_HEADER_BYTES of the server under test
BODY_LIMIT = 64  # OASGEN_MAX_BODY_BYTES
REJECT = {400, 413, 414, 431, 501, 505}  # statuses that end a connection after a bad framing
H = b"Host: t\r\n"


def get(target=b"/healthz", version=b"HTTP/1.1", headers=H):
    return b"GET " + target + b" " + version + b"\r\n" + headers + b"\r\n"


PROBE = get(b"/probe")  # a pipelined request after the row's: 404 when it is framed as sent

# Each row: name, RFC section, the deciding sentence, bytes, expected statuses (100 included) and
# whether the server closes after the last response. `differs`: the RFC sentence (or reason) that
# decides a known disagreement with h11. Statuses: GET /healthz is 200; POST /pets with a body
# that has no Content-Type is 415 (the connection stays open); /probe is 404.
ROWS = [
    # --- message framing, Content-Length (RFC 9112 6.2, 6.3)
    dict(name="content-length body, then a pipelined request", rfc="9112 6.3",
         req="If a valid Content-Length header field is present without Transfer-Encoding, its "
             "decimal value defines the expected message body length in octets.",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello" + PROBE,
         expect=[415, 404], close=False),
    dict(name="content-length shorter than the body: the rest is the next request", rfc="9112 6.3",
         req="If a valid Content-Length header field is present without Transfer-Encoding, its "
             "decimal value defines the expected message body length in octets.",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nhello\r\n\r\n",
         expect=[415, 400], close=True),
    dict(name="two identical Content-Length lines", rfc="9112 6.3",
         req="unless the field value can be successfully parsed as a comma-separated list [...], "
             "all values in the list are valid, and all values in the list are identical",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nContent-Length: 5\r\n"
              b"\r\nhello" + PROBE,
         expect=[415, 404], close=False),
    dict(name="Content-Length: 5, 5", rfc="9112 6.3",
         req="unless the field value can be successfully parsed as a comma-separated list [...], "
             "all values in the list are valid, and all values in the list are identical",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nContent-Length: 5, 5\r\n\r\nhello" + PROBE,
         expect=[415, 404], close=False),
    dict(name="conflicting Content-Length lines", rfc="9112 6.3",
         req="If the unrecoverable error is in a request message, the server MUST respond with a "
             "400 (Bad Request) status code and then close the connection.",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nContent-Length: 6\r\n"
              b"\r\nhello!" + PROBE,
         expect=[400], close=True),
    dict(name="Content-Length: 5, 6", rfc="9112 6.3",
         req="If the unrecoverable error is in a request message, the server MUST respond with a "
             "400 (Bad Request) status code and then close the connection.",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nContent-Length: 5, 6\r\n\r\nhello!" + PROBE,
         expect=[400], close=True),
    dict(name="Content-Length: +5", rfc="9112 6.3 / 9110 8.6",
         req="Content-Length = 1*DIGIT; If the unrecoverable error is in a request message, the "
             "server MUST respond with a 400 (Bad Request) status code and then close the "
             "connection.",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nContent-Length: +5\r\n\r\nhello" + PROBE,
         expect=[400], close=True),
    dict(name="Content-Length: -1", rfc="9112 6.3 / 9110 8.6",
         req="Content-Length = 1*DIGIT; If the unrecoverable error is in a request message, the "
             "server MUST respond with a 400 (Bad Request) status code and then close the "
             "connection.",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n" + PROBE,
         expect=[400], close=True),
    dict(name="Content-Length: 0x5", rfc="9112 6.3 / 9110 8.6",
         req="Content-Length = 1*DIGIT; If the unrecoverable error is in a request message, the "
             "server MUST respond with a 400 (Bad Request) status code and then close the "
             "connection.",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nContent-Length: 0x5\r\n\r\nhello" + PROBE,
         expect=[400], close=True),
    dict(name="Content-Length beyond 2^64", rfc="9110 8.6",
         req="a recipient MUST anticipate potentially large decimal numerals and prevent parsing "
             "errors due to integer conversion overflows or precision loss due to integer "
             "conversion",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nContent-Length: 18446744073709551621\r\n"
              b"\r\nhello" + PROBE,
         expect=[400], close=True,
         differs="h11 reads Python integers of any size and waits for 2^64 octets; we refuse the "
                 "overflow (RFC 9110 8.6: prevent parsing errors due to integer conversion "
                 "overflows); h11 never frames a request here, so there is nothing to smuggle"),
    dict(name="body larger than the server's limit", rfc="9110 15.5.14",
         req="The 413 (Content Too Large) status code indicates that the server is refusing to "
             "process a request because the request content is larger than the server is willing "
             "or able to process. The server MAY terminate the request, if the protocol version "
             "in use allows it; otherwise, the server MAY close the connection.",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n" + b"x" * 100
              + PROBE,
         expect=[413], close=True,
         differs="h11 has no body limit (it frames the 100-octet body); ours is 64 octets "
                 "(OASGEN_MAX_BODY_BYTES) and RFC 9110 15.5.14 lets the server refuse and close"),
    # --- Transfer-Encoding (RFC 9112 6.1, 6.3, 7)
    dict(name="chunked body, then a pipelined request", rfc="9112 7.1",
         req="The chunked transfer coding wraps content in order to transfer it as a series of "
             "chunks, each with its own size indicator, followed by an OPTIONAL trailer section "
             "containing trailer fields.",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
              b"5\r\nhello\r\n0\r\n\r\n" + PROBE,
         expect=[415, 404], close=False),
    dict(name="Transfer-Encoding: Chunked (case)", rfc="9112 7",
         req="All transfer-coding names are case-insensitive",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: Chunked\r\n\r\n"
              b"5\r\nhello\r\n0\r\n\r\n" + PROBE,
         expect=[415, 404], close=False),
    dict(name="chunk extensions", rfc="9112 7.1.1",
         req="A recipient MUST ignore unrecognized chunk extensions.",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
              b"5;a=b;c=\"d e\"\r\nhello\r\n0;z\r\n\r\n" + PROBE,
         expect=[415, 404], close=False),
    dict(name="trailer fields", rfc="9112 7.1.2",
         req="A recipient that removes the chunked coding from a message MAY selectively retain or "
             "discard the received trailer fields.",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
              b"5\r\nhello\r\n0\r\nX-Trailer: 1\r\n\r\n" + PROBE,
         expect=[415, 404], close=False),
    dict(name="chunk size not hexadecimal", rfc="9112 7.1",
         req="chunk-size = 1*HEXDIG; a bad framing of a request: the server MUST respond with a "
             "400 (Bad Request) status code and then close the connection (6.3)",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
              b"zz\r\nhello\r\n0\r\n\r\n" + PROBE,
         expect=[400], close=True),
    dict(name="chunk size 0x5", rfc="9112 7.1",
         req="chunk-size = 1*HEXDIG",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
              b"0x5\r\nhello\r\n0\r\n\r\n" + PROBE,
         expect=[400], close=True),
    dict(name="negative chunk size", rfc="9112 7.1",
         req="chunk-size = 1*HEXDIG",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
              b"-5\r\nhello\r\n0\r\n\r\n" + PROBE,
         expect=[400], close=True),
    dict(name="chunk size with leading whitespace", rfc="9112 7.1",
         req="chunk-size = 1*HEXDIG",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
              b" 5\r\nhello\r\n0\r\n\r\n" + PROBE,
         expect=[400], close=True),
    dict(name="chunk size beyond 2^64", rfc="9112 7.1",
         req="Recipients MUST anticipate potentially large hexadecimal numerals and prevent "
             "parsing errors due to integer conversion overflows or precision loss due to integer "
             "representation.",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
              b"10000000000000005\r\nhello\r\n0\r\n\r\n" + PROBE,
         expect=[400], close=True,
         differs="h11 reads the chunk size as a Python integer of any size and waits for the "
                 "chunk; we refuse the overflow (RFC 9112 7.1: prevent parsing errors due to "
                 "integer conversion overflows); h11 frames no request, nothing to smuggle"),
    dict(name="chunk data longer than its size", rfc="9112 7.1",
         req="chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
              b"3\r\nhello\r\n0\r\n\r\n" + PROBE,
         expect=[400], close=True),
    dict(name="chunked body over the limit", rfc="9110 15.5.14",
         req="The 413 (Content Too Large) status code indicates that the server is refusing to "
             "process a request because the request content is larger than the server is willing "
             "or able to process.",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
              b"40\r\n" + b"x" * 64 + b"\r\n1\r\nx\r\n0\r\n\r\n" + PROBE,
         expect=[413], close=True,
         differs="h11 has no body limit; ours is 64 octets (OASGEN_MAX_BODY_BYTES), RFC 9110 "
                 "15.5.14"),
    dict(name="Content-Length and Transfer-Encoding: chunked (CL.TE)", rfc="9112 6.1",
         req="A server MAY reject a request that contains both Content-Length and "
             "Transfer-Encoding or process such a request in accordance with the "
             "Transfer-Encoding alone. Regardless, the server MUST close the connection after "
             "responding to such a request to avoid the potential attacks.",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nContent-Length: 6\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nG" + PROBE,
         expect=[400], close=True,
         differs="h11 processes it by Transfer-Encoding alone and keeps the connection open; we "
                 "reject (RFC 9112 6.1: A server MAY reject a request that contains both "
                 "Content-Length and Transfer-Encoding), the safe choice against smuggling"),
    dict(name="Transfer-Encoding: chunked then Content-Length (TE.CL)", rfc="9112 6.1",
         req="A server MAY reject a request that contains both Content-Length and "
             "Transfer-Encoding [...] Regardless, the server MUST close the connection",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
              b"Content-Length: 3\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + PROBE,
         expect=[400], close=True,
         differs="h11 processes it by Transfer-Encoding alone; we reject (RFC 9112 6.1: A server "
                 "MAY reject a request that contains both Content-Length and Transfer-Encoding)"),
    dict(name="Transfer-Encoding: gzip and Content-Length", rfc="9112 6.1",
         req="A server MAY reject a request that contains both Content-Length and "
             "Transfer-Encoding",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n"
              b"Content-Length: 5\r\n\r\nhello" + PROBE,
         expect=[400], close=True),
    dict(name="chunked not the final transfer coding", rfc="9112 6.3",
         req="If a Transfer-Encoding header field is present in a request and the chunked "
             "transfer coding is not the final encoding, the message body length cannot be "
             "determined reliably; the server MUST respond with the 400 (Bad Request) status code "
             "and then close the connection.",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"
              b"5\r\nhello\r\n0\r\n\r\n" + PROBE,
         expect=[400], close=True),
    dict(name="Transfer-Encoding: gzip alone", rfc="9112 6.3",
         req="If a Transfer-Encoding header field is present in a request and the chunked "
             "transfer coding is not the final encoding, [...] the server MUST respond with the "
             "400 (Bad Request) status code and then close the connection.",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\nhello" + PROBE,
         expect=[400], close=True),
    dict(name="Transfer-Encoding: xchunked", rfc="9112 6.3",
         req="If a Transfer-Encoding header field is present in a request and the chunked "
             "transfer coding is not the final encoding, [...] the server MUST respond with the "
             "400 (Bad Request) status code and then close the connection.",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: xchunked\r\n\r\n"
              b"5\r\nhello\r\n0\r\n\r\n" + PROBE,
         expect=[400], close=True),
    dict(name="Transfer-Encoding: gzip, chunked", rfc="9112 6.1",
         req="A server that receives a request message with a transfer coding it does not "
             "understand SHOULD respond with 501 (Not Implemented).",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
              b"5\r\nhello\r\n0\r\n\r\n" + PROBE,
         expect=[501], close=True),
    dict(name="Transfer-Encoding: chunked, chunked", rfc="9112 7",
         req="A sender MUST NOT apply the chunked transfer coding more than once to a message "
             "body",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, chunked\r\n\r\n"
              b"5\r\nhello\r\n0\r\n\r\n" + PROBE,
         expect=[400], close=True),
    dict(name="two Transfer-Encoding: chunked lines", rfc="9112 7",
         req="A sender MUST NOT apply the chunked transfer coding more than once to a message "
             "body",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + PROBE,
         expect=[400], close=True),
    dict(name="Transfer-Encoding in HTTP/1.0", rfc="9112 6.1",
         req="A server or client that receives an HTTP/1.0 message containing a Transfer-Encoding "
             "header field MUST treat the message as if the framing is faulty, even if a "
             "Content-Length is present, and close the connection after processing the message.",
         send=b"POST /pets HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked"
              b"\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + PROBE,
         expect=[400], close=True,
         differs="h11 decodes chunked in HTTP/1.0; RFC 9112 6.1 says an HTTP/1.0 message with "
                 "Transfer-Encoding MUST be treated as if the framing is faulty: we reject"),
    dict(name="Transfer-Encoding with a space before the colon", rfc="9112 5.1",
         req="A server MUST reject, with a response status code of 400 (Bad Request), any "
             "received request message that contains whitespace between a header field name and "
             "colon.",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nTransfer-Encoding : chunked\r\n"
              b"Content-Length: 5\r\n\r\nhello" + PROBE,
         expect=[400], close=True),
    # --- Host (RFC 9112 3.2, RFC 9110 7.2)
    dict(name="HTTP/1.1 without Host", rfc="9112 3.2",
         req="A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1 request "
             "message that lacks a Host header field",
         send=get(headers=b"") + PROBE, expect=[400], close=True),
    dict(name="two Host lines", rfc="9112 3.2",
         req="A server MUST respond with a 400 (Bad Request) status code [...] to any request "
             "message that contains more than one Host header field line",
         send=get(headers=b"Host: a\r\nHost: b\r\n") + PROBE, expect=[400], close=True),
    dict(name="Host with a space", rfc="9112 3.2",
         req="A server MUST respond with a 400 (Bad Request) status code to [...] a Host header "
             "field with an invalid field value.",
         send=get(headers=b"Host: a b\r\n") + PROBE, expect=[400], close=True,
         differs="h11 does not check Host's value; RFC 9112 3.2 requires the 400"),
    dict(name="Host with userinfo", rfc="9112 3.2 / 9110 7.2",
         req="Host = uri-host [ \":\" port ]; a Host header field with an invalid field value: "
             "400",
         send=get(headers=b"Host: u@t\r\n") + PROBE, expect=[400], close=True,
         differs="h11 does not check Host's value; RFC 9112 3.2 requires the 400"),
    dict(name="Host with a bad port", rfc="9112 3.2 / 9110 7.2",
         req="Host = uri-host [ \":\" port ]; port = *DIGIT",
         send=get(headers=b"Host: t:80x\r\n") + PROBE, expect=[400], close=True,
         differs="h11 does not check Host's value; RFC 9112 3.2 requires the 400"),
    dict(name="Host with a port and an IPv6 literal", rfc="9110 7.2",
         req="Host = uri-host [ \":\" port ]",
         send=get(headers=b"Host: t:8080\r\n") + get(headers=b"Host: [::1]:80\r\n"),
         expect=[200, 200], close=False),
    dict(name="empty Host", rfc="9110 7.2",
         req="If the target URI's authority component is empty, the client MUST send a Host "
             "header field with an empty field value.",
         send=get(headers=b"Host:\r\n") + PROBE, expect=[200, 404], close=False),
    dict(name="HTTP/1.0 without Host", rfc="9112 3.2",
         req="A server MUST respond with a 400 [...] to any HTTP/1.1 request message that lacks a "
             "Host header field (HTTP/1.0 has no Host requirement)",
         send=get(version=b"HTTP/1.0", headers=b""), expect=[200], close=True),
    # --- request line (RFC 9112 3)
    dict(name="absolute-form", rfc="9112 3.2.2",
         req="A server MUST accept the absolute-form in requests even though most HTTP/1.1 "
             "clients will only send the absolute-form to a proxy.",
         send=get(target=b"http://t/healthz", headers=b"Host: other\r\n")
              + get(target=b"HTTPS://t:8443/healthz?x=1") + PROBE,
         expect=[200, 200, 404], close=False),
    dict(name="absolute-form with an empty host", rfc="9110 4.2.1",
         req="A sender MUST NOT generate an \"http\" URI with an empty host identifier. A "
             "recipient that processes such a URI reference MUST reject it as invalid.",
         send=get(target=b"http:///healthz") + PROBE, expect=[400], close=True,
         differs="h11 does not look inside the request-target; RFC 9110 4.2.1 decides"),
    dict(name="absolute-form with userinfo", rfc="9110 4.2.4",
         req="Before making use of an \"http\" or \"https\" URI reference received from an "
             "untrusted source, a recipient SHOULD parse for userinfo and treat its presence as "
             "an error",
         send=get(target=b"http://u@t/healthz") + PROBE, expect=[400], close=True,
         differs="h11 does not look inside the request-target; RFC 9110 4.2.4 decides"),
    dict(name="absolute-form of another scheme", rfc="9112 3.2",
         req="Recipients of an invalid request-line SHOULD respond with either a 400 (Bad "
             "Request) error or a 301 (Moved Permanently) redirect",
         send=get(target=b"ftp://t/healthz") + PROBE, expect=[400], close=True,
         differs="h11 does not look inside the request-target; we serve http and https URIs "
                 "only (RFC 9112 3.2: 400 for an invalid request-line)"),
    dict(name="asterisk-form with OPTIONS", rfc="9112 3.2.4",
         req="The asterisk-form of request-target is only used for a server-wide OPTIONS request",
         send=b"OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n" + PROBE, expect=[404, 404], close=False,
         note="accepted and routed; RFC 9110 9.3.7 sets no status for a server-wide OPTIONS and "
              "the router has no resource \"*\", so 404"),
    dict(name="asterisk-form with GET", rfc="9112 3.2.4",
         req="The asterisk-form of request-target is only used for a server-wide OPTIONS request",
         send=get(target=b"*") + PROBE, expect=[400], close=True,
         differs="h11 does not look inside the request-target; RFC 9112 3.2.4 restricts "
                 "asterisk-form to OPTIONS, and 3.2 says 400 for an invalid request-line"),
    dict(name="relative target", rfc="9112 3.2",
         req="Recipients of an invalid request-line SHOULD respond with either a 400 (Bad "
             "Request) error or a 301 (Moved Permanently) redirect",
         send=get(target=b"healthz") + PROBE, expect=[400], close=True,
         differs="h11 does not look inside the request-target; RFC 9112 3.2 decides"),
    dict(name="authority-form with CONNECT", rfc="9110 9.3.6 / 15.6.2",
         req="The 501 (Not Implemented) status code indicates that the server does not support "
             "the functionality required to fulfill the request.",
         send=b"CONNECT t:443 HTTP/1.1\r\nHost: t:443\r\n\r\n", expect=[501], close=True,
         differs="h11 frames CONNECT like any request (our model of h11 answers 501 and keeps "
                 "the connection); this server is not a proxy: 501 and close, as the request was "
                 "meant to end HTTP on the connection (RFC 9110 9.3.6)"),
    dict(name="two spaces in the request line", rfc="9112 3",
         req="Recipients of an invalid request-line SHOULD respond with either a 400 (Bad "
             "Request) error or a 301 (Moved Permanently) redirect",
         send=b"GET  /healthz HTTP/1.1\r\nHost: t\r\n\r\n" + PROBE, expect=[400], close=True),
    dict(name="HTTP/0.9 request line", rfc="9112 3",
         req="request-line = method SP request-target SP HTTP-version",
         send=b"GET /healthz\r\nHost: t\r\n\r\n" + PROBE, expect=[400], close=True),
    dict(name="lower-case HTTP name", rfc="9112 2.3",
         req="HTTP-name = %s\"HTTP\" (case-sensitive)",
         send=get(version=b"http/1.1") + PROBE, expect=[400], close=True),
    dict(name="HTTP/2.0 in an HTTP/1.1 request line", rfc="9110 15.6.6",
         req="The 505 (HTTP Version Not Supported) status code indicates that the server does not "
             "support, or refuses to support, the major version of HTTP that was used in the "
             "request message.",
         send=get(version=b"HTTP/2.0") + PROBE, expect=[505], close=True,
         differs="h11 accepts any HTTP/1.x-shaped version line as HTTP/1.1; a major version "
                 "other than 1 gets 505 (RFC 9110 15.6.6)"),
    dict(name="HTTP/1.2", rfc="9110 2.5",
         req="A recipient that receives a message with a major version number that it implements "
             "and a minor version number higher than what it implements SHOULD process the "
             "message as if it were in the highest minor version within that major version",
         send=get(version=b"HTTP/1.2") + PROBE, expect=[200, 404], close=False, version="HTTP/1.1"),
    dict(name="unknown method", rfc="9110 9.1",
         req="An origin server that receives a request method that is unrecognized or not "
             "implemented SHOULD respond with the 501 (Not Implemented) status code.",
         send=b"FOO /pets HTTP/1.1\r\nHost: t\r\n\r\n" + PROBE, expect=[501], close=True,
         differs="h11 frames any token as a method; ours answers 501 (RFC 9110 9.1) and closes, "
                 "as for every request it refuses before reading the body"),
    dict(name="request line longer than the header limit", rfc="9112 3",
         req="A server that receives a request-target longer than any URI it wishes to parse MUST "
             "respond with a 414 (URI Too Long) status code",
         send=get(target=b"/" + b"a" * (2 * HEADER_LIMIT)), expect=[414], close=True),
    dict(name="header section larger than the limit", rfc="9110 15.5 / RFC 6585 5",
         req="The 431 status code indicates that the server is unwilling to process the request "
             "because its header fields are too large.",
         send=get(headers=H + b"X-Big: " + b"b" * (2 * HEADER_LIMIT) + b"\r\n"),
         expect=[431], close=True),
    dict(name="leading empty line before the request line", rfc="9112 2.2",
         req="a server that is expecting to receive and parse a request-line SHOULD ignore at "
             "least one empty line (CRLF) received prior to the request-line.",
         send=b"\r\n" + get() + PROBE, expect=[200, 404], close=False,
         differs="h11 refuses the empty line (no request line received); RFC 9112 2.2 says a "
                 "server SHOULD ignore at least one, and we ignore one"),
    dict(name="two empty lines before the request line", rfc="9112 2.2",
         req="a server [...] SHOULD ignore at least one empty line (CRLF) received prior to the "
             "request-line (one is ignored; a second is a malformed request-line: 400)",
         send=b"\r\n\r\n" + get() + PROBE, expect=[400], close=True),
    # --- field syntax (RFC 9112 2.2, 5; RFC 9110 5)
    dict(name="whitespace between field name and colon", rfc="9112 5.1",
         req="A server MUST reject, with a response status code of 400 (Bad Request), any "
             "received request message that contains whitespace between a header field name and "
             "colon.",
         send=get(headers=b"Host : t\r\n") + PROBE, expect=[400], close=True),
    dict(name="field name with an invalid character", rfc="9110 5.1",
         req="field-name = token",
         send=get(headers=H + b"X@Y: 1\r\n") + PROBE, expect=[400], close=True),
    dict(name="field line without a colon", rfc="9112 5",
         req="field-line = field-name \":\" OWS field-value OWS",
         send=get(headers=H + b"NoColon\r\n") + PROBE, expect=[400], close=True),
    dict(name="whitespace before the first field line", rfc="9112 2.2",
         req="A recipient that receives whitespace between the start-line and the first header "
             "field MUST either reject the message as invalid or consume each whitespace-preceded "
             "line without further processing of it",
         send=b"GET /healthz HTTP/1.1\r\n X: 1\r\nHost: t\r\n\r\n" + PROBE, expect=[400],
         close=True),
    dict(name="obs-fold", rfc="9112 5.2",
         req="A server that receives an obs-fold in a request message that is not within a "
             "\"message/http\" container MUST either reject the message by sending a 400 (Bad "
             "Request), preferably with a representation explaining that obsolete line folding "
             "is unacceptable, or replace each received obs-fold with one or more SP octets prior "
             "to interpreting the field value",
         send=get(headers=H + b"X-A: a\r\n b\r\n") + PROBE, expect=[200, 404], close=False,
         note="Beast replaces each obs-fold with one SP (basic_parser.ipp, parse_field)"),
    dict(name="bare LF line endings", rfc="9112 2.2",
         req="Although the line terminator for the start-line and fields is the sequence CRLF, a "
             "recipient MAY recognize a single LF as a line terminator and ignore any preceding "
             "CR.",
         send=b"GET /healthz HTTP/1.1\nHost: t\n\n" + PROBE, expect=[400], close=True,
         differs="h11 recognizes a single LF (RFC 9112 2.2: a recipient MAY); Beast does not, "
                 "and rejecting is the stricter reading of a MAY"),
    dict(name="bare CR in a field value", rfc="9112 2.2",
         req="A recipient of such a bare CR MUST consider that element to be invalid or replace "
             "each bare CR with SP before processing the element or forwarding the message.",
         send=get(headers=H + b"X-A: a\rb\r\n") + PROBE, expect=[400], close=True),
    dict(name="NUL in a field value", rfc="9110 5.5",
         req="Field values containing CR, LF, or NUL characters are invalid and dangerous [...] a "
             "recipient [...] MUST either reject the message or replace each of those characters "
             "with SP before further processing or forwarding of that message.",
         send=get(headers=H + b"X-A: a\x00b\r\n") + PROBE, expect=[400], close=True),
    # --- connection management (RFC 9112 9)
    dict(name="pipelining", rfc="9112 9.3.2",
         req="A server MAY process a sequence of pipelined requests in parallel if they all have "
             "safe methods, but it MUST send the corresponding responses in the same order that "
             "the requests were received.",
         send=get() + PROBE + get(), expect=[200, 404, 200], close=False),
    dict(name="Connection: close ends the pipeline", rfc="9112 9.6",
         req="A server that receives a \"close\" connection option MUST initiate closure of the "
             "connection after it sends the final response to the request that contained the "
             "\"close\" connection option. [...] The server MUST NOT process any further requests "
             "received on that connection.",
         send=get(headers=H + b"Connection: close\r\n") + PROBE, expect=[200], close=True),
    dict(name="HTTP/1.0 closes after the response", rfc="9112 9.3",
         req="If the received protocol is HTTP/1.0, the \"keep-alive\" connection option is "
             "present, [...] the connection will persist after the current response; otherwise, "
             "the connection will close after the current response.",
         send=get(version=b"HTTP/1.0", headers=b"") + PROBE, expect=[200], close=True),
    dict(name="HTTP/1.0 keep-alive", rfc="9112 9.3",
         req="If the received protocol is HTTP/1.0, the \"keep-alive\" connection option is "
             "present, [...] the connection will persist after the current response",
         send=get(version=b"HTTP/1.0", headers=b"Connection: keep-alive\r\n") + PROBE,
         expect=[200, 404], close=False,
         differs="h11 does not implement HTTP/1.0 keep-alive and closes after the first "
                 "response; RFC 9112 9.3 lets the connection persist, and both frame the first "
                 "request alike"),
    # --- Expect (RFC 9110 10.1.1)
    dict(name="Expect: 100-continue with a body", rfc="9110 10.1.1",
         req="An origin server MUST, upon receiving an HTTP/1.1 (or later) request-line and a "
             "complete header section that contains a 100-continue expectation and indicates a "
             "request message body will follow, either send an immediate response with a final "
             "status code [...] or send an immediate 100 (Continue) response",
         send=b"POST /pets HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n"
              b"\r\n", then=b"hello" + PROBE, expect=[100, 415, 404], close=False),
    dict(name="Expect: 100-continue without a body", rfc="9110 10.1.1",
         req="A server MAY omit sending a 100 (Continue) response if it has already received some "
             "or all of the content for the corresponding request, or if the framing indicates "
             "that there is no content.",
         send=get(headers=H + b"Expect: 100-continue\r\n") + PROBE, expect=[200, 404],
         close=False),
    dict(name="Expect: 100-continue in HTTP/1.0", rfc="9110 10.1.1",
         req="A server that receives a 100-continue expectation in an HTTP/1.0 request MUST "
             "ignore that expectation.",
         send=b"POST /pets HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n",
         then=b"hello", expect=[415], close=True),
]


def parse_responses(data):
    """Responses in `data`: [(version, status, headers)]; the server always sends Content-Length."""
    out = []
    while data:
        end = data.find(b"\r\n\r\n")
        if end < 0:
            out.append(("?", -1, {"partial": data[:80]}))
            break
        head = data[:end].decode("latin-1").split("\r\n")
        match = re.match(r"(HTTP/\d\.\d) (\d{3}) ", head[0] + " ")
        if not match:
            out.append(("?", -1, {"garbage": head[0]}))
            break
        headers = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        out.append((match.group(1), int(match.group(2)), headers))
        data = data[end + 4 + (0 if int(match.group(2)) < 200 else length):]
    return out


def exchange(port, send, then=None, expected=1, interim=False):
    """Sends the bytes, reads until the server closes, or stays silent for a while once it has sent
    `expected` responses (a slow server, e.g. under ASan, gets up to 10 s): (responses, closed)."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.settimeout(0.25)
    received = b""
    closed = False
    try:
        sock.sendall(send)
        if then is not None:
            # Expect: 100-continue: the interim response comes before the body is sent.
            # Up to 10 s for a 100 the row expects; 0.5 s to show that none comes.
            sock.settimeout(10 if interim else 0.5)
            try:
                received += sock.recv(65536)
            except socket.timeout:
                pass
            sock.settimeout(0.25)
            sock.sendall(then)
        start = last = time.monotonic()
        while True:
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                now = time.monotonic()
                enough = len(parse_responses(received)) >= expected
                if (enough and now - last > 0.5) or now - start > 10:
                    break
                continue
            except ConnectionResetError:
                closed = True
                break
            if not chunk:
                closed = True
                break
            received += chunk
            last = time.monotonic()
    except (BrokenPipeError, ConnectionResetError):
        closed = True
    finally:
        sock.close()
    return parse_responses(received), closed


def h11_framing(data):
    """How h11 frames the bytes as a server: ['request', ...] then maybe 'reject'."""
    conn = h11.Connection(h11.SERVER, max_incomplete_event_size=HEADER_LIMIT)
    # Fed in pieces, as a socket would: h11 applies its header limit to incomplete events only.
    pieces = [data[i:i + 1024] for i in range(0, len(data), 1024)]
    out = []
    while True:
        try:
            event = conn.next_event()
            if event is h11.NEED_DATA and pieces:
                conn.receive_data(pieces.pop(0))
                continue
        except h11.RemoteProtocolError as error:
            out.append(("reject", str(error)))
            return out
        if event is h11.NEED_DATA or isinstance(event, h11.ConnectionClosed):
            return out
        if event is h11.PAUSED:  # CONNECT: the connection becomes a tunnel
            out.append(("closes", ""))
            return out
        if isinstance(event, h11.Request):
            method = event.method.decode()
        if isinstance(event, h11.EndOfMessage):
            out.append(("request", method))
            # CONNECT gets 501 (a 2xx would turn the connection into a tunnel).
            status = 501 if method == "CONNECT" else 200
            conn.send(h11.Response(status_code=status, headers=[("content-length", "0")]))
            conn.send(h11.EndOfMessage())
            if conn.our_state is h11.MUST_CLOSE:
                out.append(("closes", ""))
                return out
            conn.start_next_cycle()


def our_framing(responses, closed):
    kinds = []
    for index, (_, status, _) in enumerate(responses):
        if status == 100:
            continue
        last = index == len(responses) - 1
        kinds.append(("reject", status) if last and closed and status in REJECT
                     else ("request", status))
    if closed and (not kinds or kinds[-1][0] != "reject"):
        kinds.append(("closes", ""))
    return kinds


def run_row(port, row):
    expected = len(row["expect"])
    interim = row["expect"][:1] == [100]
    responses, closed = exchange(port, row["send"], row.get("then"), expected, interim)
    statuses = [status for _, status, _ in responses]
    failures = []
    expect = row["expect"]
    if statuses != expect:
        failures.append(f"statuses {statuses}, the RFC requires {expect}")
    close = row["close"]
    if closed != close:
        failures.append("the server " + ("closed" if closed else "kept") +
                        " the connection; it must " + ("close it" if close else "keep it open"))
    if responses and responses[-1][1] in REJECT and closed:
        if responses[-1][2].get("connection", "").lower() != "close":
            failures.append("a rejection without Connection: close (RFC 9112 9.6: SHOULD)")
        if responses[-1][2].get("content-type") != "application/problem+json":
            failures.append("a rejection that is not problem+json")
    if "version" in row and responses and responses[0][0] != row["version"]:
        failures.append(f"answered in {responses[0][0]}, not {row['version']}")

    ours = our_framing(responses, closed)
    theirs = h11_framing(row["send"] + row.get("then", b""))
    ours_kinds = [kind for kind, _ in ours]
    theirs_kinds = [kind for kind, _ in theirs]
    disagreement = None
    if ours_kinds != theirs_kinds:
        split = next((i for i, (a, b) in enumerate(zip(ours_kinds, theirs_kinds)) if a != b),
                     min(len(ours_kinds), len(theirs_kinds)))
        a = ours_kinds[split] if split < len(ours_kinds) else "waits for more bytes"
        b = theirs_kinds[split] if split < len(theirs_kinds) else "waits for more bytes"
        why = f" ({theirs[split][1]})" if b == "reject" else ""
        disagreement = f"request {split + 1}: oasgen {a}, h11 {b}{why}"
        # Where one parser rejects or ends the connection, the other's view of the rest cannot be
        # smuggled past it. Both framing requests, or one framing a request where the other still
        # waits for bytes of the previous one: request smuggling.
        if a not in ("reject", "closes") and b not in ("reject", "closes"):
            failures.append("SMUGGLING: the two parsers frame these bytes differently, " +
                            f"oasgen {ours}, h11 {theirs}")
        if "differs" not in row:
            failures.append(f"undeclared disagreement with h11: {disagreement}; oasgen {ours}, "
                            f"h11 {theirs}")
    elif "differs" in row:
        failures.append("the row declares a disagreement with h11 that did not happen "
                        f"(both: {ours_kinds})")
    return failures, disagreement


def start_server(binary):
    env = dict(os.environ, OASGEN_MAX_HEADER_BYTES=str(HEADER_LIMIT),
               OASGEN_MAX_BODY_BYTES=str(BODY_LIMIT), OASGEN_READ_TIMEOUT_MS="3000",
               OASGEN_ACCESS_LOG="off", OASGEN_THREADS="2")
    server = subprocess.Popen([binary, "--port", "0", "--quiet"], stdout=subprocess.PIPE, env=env)
    line = server.stdout.readline().decode()
    match = re.search(r":(\d+)\s*$", line)
    if not match:
        server.kill()
        sys.exit(f"http: the server did not say where it listens: {line!r}")
    return server, int(match.group(1))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: conformance.py PETSTORE_SERVER")
    server, port = start_server(sys.argv[1])
    passed = failed = 0
    disagreements = []
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
            results = list(pool.map(lambda row: run_row(port, row), ROWS))
        for row, (failures, disagreement) in zip(ROWS, results):
            if failures:
                failed += 1
                print(f"FAIL {row['name']} (RFC {row['rfc']}: \"{row['req']}\")")
                for failure in failures:
                    print(f"     {failure}")
            else:
                passed += 1
            if disagreement:
                disagreements.append((row, disagreement))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"\nwhere oasgen and h11 disagree ({len(disagreements)} rows), and why we follow ours:")
    for row, disagreement in disagreements:
        print(f"  - {row['name']}: {disagreement}\n      {row.get('differs', 'NOT DECLARED')}")
    print(f"http: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
