#!/usr/bin/python3
"""Runs divcheck_client.py against the real divcheckd.

Environment: DIVCHECKD, DIVCHECK (binaries), DIVCHECK_TEST_LEXICONS,
MAKE_TEST_CERTS (tests/service/make_test_certs.sh), and PYTHONPATH holding
the generated stubs.
"""

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENT = os.path.join(HERE, "divcheck_client.py")
BAD_AD = "Verkäufer gesucht\nWir sind ein junges Team.\n"


class Server:
    """A divcheckd on 127.0.0.1 with `args`, its log in `directory`."""

    def __init__(self, directory, name, *args):
        self.log_path = os.path.join(directory, name + ".log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [os.environ["DIVCHECKD"], "--listen=127.0.0.1:0",
             "--lexicons=" + os.environ["DIVCHECK_TEST_LEXICONS"], *args],
            stdout=self.log, stderr=subprocess.STDOUT)
        self.address = None
        for _ in range(600):
            with open(self.log_path) as f:
                m = re.search(r'"msg":"listening on [^"]*".*"port":(\d+)', f.read())
            if m:
                self.address = "127.0.0.1:" + m.group(1)
                break
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        if self.address is None:
            self.process.kill()
            raise RuntimeError("divcheckd did not start: " + open(self.log_path).read())

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        status = self.process.wait(timeout=30)
        self.log.close()
        assert status == 0, "divcheckd exited with %d" % status


class DivcheckClientTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.server = Server(cls.tmp.name, "server")
        cls.address = cls.server.address

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.tmp.cleanup()

    def write(self, name, text):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def client(self, *args):
        return subprocess.run([sys.executable, CLIENT, "--server", self.address, *args],
                              capture_output=True, text=True, timeout=60)

    def test_scan_finds_what_divcheck_scan_finds(self):
        path = self.write("bad.txt", BAD_AD)
        result = self.client(path)
        self.assertEqual(result.returncode, 1, result.stderr)
        local = subprocess.run(
            [os.environ["DIVCHECK"], "scan", "--format=json",
             "--lexicons=" + os.environ["DIVCHECK_TEST_LEXICONS"], path],
            capture_output=True, text=True)
        report = json.loads(local.stdout)
        want = ["%s:%d:%d: [%s]" % (path, f["span"]["line"], f["span"]["column"], f["ruleId"])
                for f in report["findings"]]
        got = [re.sub(r"^(.*?:\d+:\d+:).*(\[[^\]]+\])$", r"\1 \2", line)
               for line in result.stdout.splitlines() if line.endswith("]")]
        self.assertEqual(got, want)
        self.assertIn("score %d/100" % report["score"], result.stdout)

    def test_stream_reports_each_file_and_errors_with_details(self):
        good = self.write("good.txt", "Verkaufskraft (m/w/d)\nWir freuen uns auf Sie.\n")
        bad = self.write("bad2.txt", BAD_AD)
        result = self.client(good, bad)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn(good + ": score 100/100", result.stdout)
        self.assertIn(bad + ":1:1: critical:", result.stdout)

        result = self.client("--lang", "fr", good, bad)
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr.count("reason: UNSUPPORTED_LANGUAGE"), 2, result.stderr)
        self.assertIn("field language_code", result.stderr)

    def test_errors_carry_reason_and_field_violations(self):
        big = self.write("big.txt", "a" * (1 << 20) + "a")
        result = self.client("--lang", "xx", big)
        self.assertEqual(result.returncode, 2)
        self.assertIn("reason: INVALID_REQUEST (divcheck.dev)", result.stderr)
        self.assertIn("field text:", result.stderr)
        self.assertIn("field language_code:", result.stderr)

    def test_list_rules_pages_through_a_filter(self):
        result = self.client("--list-rules", "--lang", "de", "--dimension", "AGE")
        self.assertEqual(result.returncode, 0, result.stderr)
        ids = [line.split("\t")[0] for line in result.stdout.splitlines()]
        self.assertIn("t.de.junges_team", ids)
        self.assertTrue(all("AGE" in line.split("\t")[2] for line in result.stdout.splitlines()))


KEY = "s3cret-key-for-the-python-tls-test"


class TlsTest(unittest.TestCase):
    """divcheck_client.py over TLS and mutual TLS (issue 17, point 10), with
    certificates made by make_test_certs.sh."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.certs = os.path.join(cls.tmp.name, "certs")
        os.mkdir(cls.certs)
        subprocess.run(["bash", os.environ["MAKE_TEST_CERTS"], cls.certs], check=True)
        config = os.path.join(cls.tmp.name, "tls.textproto")
        with open(config, "w") as f:
            f.write('tls { cert_file: "%s" key_file: "%s" }\n'
                    'api_keys { name: "t" sha256: "%s" }\n'
                    % (cls.cert("server.crt"), cls.cert("server.key"),
                       hashlib.sha256(KEY.encode()).hexdigest()))
        mtls = os.path.join(cls.tmp.name, "mtls.textproto")
        with open(mtls, "w") as f:
            f.write('tls { cert_file: "%s" key_file: "%s" client_ca_file: "%s" '
                    'require_client_cert: true }\n'
                    % (cls.cert("server.crt"), cls.cert("server.key"), cls.cert("ca.crt")))
        cls.tls = Server(cls.tmp.name, "tls", "--config=" + config)
        cls.mtls = Server(cls.tmp.name, "mtls", "--config=" + mtls)
        cls.ad = os.path.join(cls.tmp.name, "ad.txt")
        with open(cls.ad, "w", encoding="utf-8") as f:
            f.write(BAD_AD)

    @classmethod
    def tearDownClass(cls):
        cls.tls.stop()
        cls.mtls.stop()
        cls.tmp.cleanup()

    @classmethod
    def cert(cls, name):
        return os.path.join(cls.certs, name)

    def client(self, server, *args, env=None):
        environment = dict(os.environ)
        environment.pop("DIVCHECK_API_KEY", None)
        environment.pop("DIVCHECK_INSECURE_SEND_KEY", None)
        environment.update(env or {})
        return subprocess.run([sys.executable, CLIENT, "--server", server, "--timeout", "10",
                               *args], capture_output=True, text=True, timeout=60,
                              env=environment)

    def assertUsageError(self, result, message):
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn(message, result.stderr)
        self.assertNotIn("Traceback", result.stderr)

    def test_scan_over_tls_with_the_ca(self):
        result = self.client(self.tls.address, "--ca-file", self.cert("ca.crt"),
                             "--api-key", KEY, self.ad)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn(":1:1: critical:", result.stdout)
        # The key from the environment, the flag spelt as for the CLI, and
        # the name the certificate carries given explicitly.
        result = self.client(self.tls.address, "--ca_file", self.cert("ca.crt"),
                             "--tls-server-name", "localhost", self.ad,
                             env={"DIVCHECK_API_KEY": KEY + "\n"})
        self.assertEqual(result.returncode, 1, result.stderr)

    def test_wrong_ca_or_name_or_no_tls_fails_clearly(self):
        for args, message in (
                (["--ca-file", self.cert("other.crt")], "certificate verify failed"),
                (["--ca-file", self.cert("ca.crt"), "--tls-server-name", "wrong.example"],
                 "wrong.example"),
                ([], "14: ")):
            result = self.client(self.tls.address, *args, "--api-key", KEY, self.ad)
            self.assertEqual(result.returncode, 2, result.stderr)
            self.assertIn(message, result.stderr)
            self.assertNotIn("Traceback", result.stderr)

    def test_mutual_tls_needs_the_client_certificate(self):
        result = self.client(self.mtls.address, "--ca-file", self.cert("ca.crt"),
                             "--cert-file", self.cert("client.crt"),
                             "--key-file", self.cert("client.key"), self.ad)
        self.assertEqual(result.returncode, 1, result.stderr)
        for args in ([], ["--cert-file", self.cert("stranger.crt"),
                          "--key-file", self.cert("stranger.key")]):
            result = self.client(self.mtls.address, "--ca-file", self.cert("ca.crt"), *args,
                                 self.ad)
            self.assertEqual(result.returncode, 2, result.stderr)
            self.assertIn("14: ", result.stderr)

    def test_files_that_cannot_be_used(self):
        junk = os.path.join(self.tmp.name, "junk.pem")
        with open(junk, "w") as f:
            f.write("not a certificate\n")
        s = self.tls.address
        self.assertUsageError(self.client(s, "--ca-file", junk, self.ad),
                              "--ca-file %s holds no PEM certificate" % junk)
        self.assertUsageError(self.client(s, "--ca-file", junk + ".missing", self.ad),
                              "cannot read --ca-file")
        self.assertUsageError(self.client(s, "--cert-file", self.cert("client.crt"), self.ad),
                              "--cert-file and --key-file go together")
        self.assertUsageError(
            self.client(s, "--cert-file", self.cert("client.crt"),
                        "--key-file", self.cert("server.key"), self.ad),
            "are not a PEM certificate and its unencrypted private key")

    def test_a_key_goes_in_clear_text_only_to_loopback(self):
        # 192.0.2.1 is TEST-NET-1: refused before any connection.
        result = self.client("192.0.2.1:1", "--api-key", KEY, self.ad)
        self.assertUsageError(result, "refusing to send the API key to 192.0.2.1:1 in clear text")
        result = self.client("192.0.2.1:1", "--api-key", KEY, self.ad,
                             env={"DIVCHECK_INSECURE_SEND_KEY": "1"})
        self.assertEqual(result.returncode, 2)
        self.assertNotIn("refusing", result.stderr)
        # Over TLS the key may go there (the call then fails to connect).
        result = self.client("192.0.2.1:1", "--ca-file", self.cert("ca.crt"),
                             "--api-key", KEY, self.ad)
        self.assertEqual(result.returncode, 2)
        self.assertNotIn("refusing", result.stderr)
        self.assertNotIn("Traceback", result.stderr)
        # Loopback in clear text is fine (the TLS server then refuses the
        # connection, but the key was not refused).
        result = self.client("localhost:1", "--api-key", KEY, self.ad)
        self.assertNotIn("refusing", result.stderr)


if __name__ == "__main__":
    unittest.main()
