#!/usr/bin/python3
"""Runs divcheck_client.py against the real divcheckd.

Environment: DIVCHECKD, DIVCHECK (binaries), DIVCHECK_TEST_LEXICONS, and
PYTHONPATH holding the generated stubs.
"""

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


class DivcheckClientTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.log_path = os.path.join(cls.tmp.name, "server.log")
        cls.log = open(cls.log_path, "w")
        cls.server = subprocess.Popen(
            [os.environ["DIVCHECKD"], "--listen=127.0.0.1:0",
             "--lexicons=" + os.environ["DIVCHECK_TEST_LEXICONS"]],
            stdout=cls.log, stderr=subprocess.STDOUT)
        cls.address = None
        for _ in range(600):
            with open(cls.log_path) as f:
                m = re.search(r'"msg":"listening on [^"]*".*"port":(\d+)', f.read())
            if m:
                cls.address = "127.0.0.1:" + m.group(1)
                break
            if cls.server.poll() is not None:
                break
            time.sleep(0.1)
        if cls.address is None:
            cls.server.kill()
            raise RuntimeError("divcheckd did not start: " + open(cls.log_path).read())

    @classmethod
    def tearDownClass(cls):
        cls.server.send_signal(signal.SIGTERM)
        status = cls.server.wait(timeout=30)
        cls.log.close()
        cls.tmp.cleanup()
        assert status == 0, "divcheckd exited with %d" % status

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


if __name__ == "__main__":
    unittest.main()
