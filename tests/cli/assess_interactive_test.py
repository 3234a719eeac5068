#!/usr/bin/env python3
"""Drives `divcheck assess` (the interactive questionnaire) through a
pseudo-terminal, as a person at a keyboard would: answers by number and by
option id, asks for help, goes back, skips an optional question, is refused
skipping a required one, quits, resumes from the progress file, and finishes
with the report.

Usage: assess_interactive_test.py DIVCHECK QUESTIONNAIRES
"""
import json
import os
import pty
import re
import select
import subprocess
import sys
import tempfile
import time

DIVCHECK, QDIR = sys.argv[1], sys.argv[2]
failures = []


class Session:
    """One run of the CLI on a pty; `expect` waits for a regex."""

    def __init__(self, args):
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(
            [DIVCHECK, "assess", f"--questionnaires={QDIR}"] + args,
            stdin=slave, stdout=slave, stderr=slave, close_fds=True)
        os.close(slave)
        self.buffer = ""
        self.seen = 0  # everything before this offset has been matched

    def expect(self, pattern, timeout=20):
        regex = re.compile(pattern)
        deadline = time.time() + timeout
        while True:
            m = regex.search(self.buffer, self.seen)
            if m:
                self.seen = m.end()
                return m
            left = deadline - time.time()
            if left <= 0:
                raise AssertionError(
                    f"timed out waiting for {pattern!r}; last output:\n"
                    + self.buffer[-1500:])
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    data = os.read(self.master, 65536)
                except OSError:  # the child closed the pty
                    data = b""
                if not data:
                    raise AssertionError(
                        f"output ended waiting for {pattern!r}; last output:\n"
                        + self.buffer[-1500:])
                self.buffer += data.decode("utf-8", "replace")

    def send(self, line):
        os.write(self.master, (line + "\n").encode())

    def wait(self):
        code = self.proc.wait(timeout=20)
        os.close(self.master)
        return code


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)


def question(session, n):
    return session.expect(rf"\[{n}/(\d+)\] ([^\r\n]*)")


with tempfile.TemporaryDirectory() as tmp:
    progress = os.path.join(tmp, "progress.json")

    # First sitting: questions 1–6 in English, then quit.
    s = Session(["--lang=en", f"--resume={progress}"])
    m = question(s, 1)
    total = int(m.group(1))
    check(total >= 35, f"only {total} questions")
    check("(required)" in m.group(2), "question 1 should be required")
    s.expect(r"\? help")
    s.send("?")                       # help text of question 1
    s.expect(r"A written, known commitment")
    s.send("s")                       # required: cannot be skipped
    s.expect(r"required and cannot be skipped")
    s.send("7")                       # out of range
    s.expect(r"Please enter a number from 1 to 5")
    s.send("2")                       # "started"
    question(s, 2)
    s.send("b")                       # back to question 1 …
    question(s, 1)
    s.expect(r"2\) First steps or planned\s+<- previous answer")
    s.send("fully")                   # … and change the answer, by option id
    question(s, 2)
    s.send("3")
    question(s, 3)
    s.send("b")                       # back to question 2; Enter keeps "partly"
    question(s, 2)
    s.expect(r"3\) Partly\s+<- previous answer")
    s.send("")
    question(s, 3)
    s.send("4")
    question(s, 4)
    s.send("5")
    m = question(s, 5)
    check("(optional)" in m.group(2), "question 5 should be optional")
    s.expect(r"6\) Does not apply to us")
    s.send("s")                       # skip the optional question
    question(s, 6)
    s.send("1")
    question(s, 7)
    s.send("q")                       # save and quit
    s.expect(r"Progress saved to .*progress\.json")
    code = s.wait()
    check(code == 1, f"quitting should exit 1, got {code}")

    saved = json.load(open(progress))
    ids = [a["questionId"] for a in saved["answers"]]
    check(len(ids) == 5, f"5 answers saved, got {ids}")
    check(saved["answers"][1]["optionId"] == "partly",
          f"Enter kept the answer: {saved['answers'][1]}")
    check(saved["answers"][0] == {"questionId": "strategy.commitment",
                                  "optionId": "fully"},
          f"changed answer saved: {saved['answers'][0]}")
    check(saved.get("skippedQuestionIds") == ["strategy.representatives"],
          f"skipped question saved: {saved.get('skippedQuestionIds')}")
    check(saved.get("language") == "en", "language saved")

    # Second sitting: resumes at question 7, in the saved language; answers
    # the rest (optional ones skipped) and shows the report.
    s = Session([f"--resume={progress}"])
    s.expect(r"Continuing at question 7/")
    n = 7
    while n <= total:
        m = question(s, n)
        s.send("s" if "(optional)" in m.group(2) else "4")
        n += 1
    s.expect(r"All questions answered")
    s.expect(r"overallScore: (\d+)/100")
    s.expect(r"Fields of action")
    code = s.wait()
    check(code == 0, f"finished questionnaire should exit 0, got {code}")

    # The progress file is a valid answers file.
    out = subprocess.run([DIVCHECK, "assess", "submit", f"--answers={progress}",
                          f"--questionnaires={QDIR}", "--format=json"],
                         capture_output=True, text=True)
    check(out.returncode == 0, f"submit of the progress file: {out.stderr}")
    if out.returncode == 0:
        report = json.loads(out.stdout)
        check(report["overallScore"] > 50, f"score {report['overallScore']}")
        check(report["language"] == "en", "report language")

    # End of input mid-questionnaire: progress kept, exit 1, no crash.
    p = subprocess.run([DIVCHECK, "assess", f"--questionnaires={QDIR}",
                        f"--resume={os.path.join(tmp, 'eof.json')}"],
                       input="1\n2\n", capture_output=True, text=True, timeout=20)
    check(p.returncode == 1, f"EOF should exit 1, got {p.returncode}")
    eof = json.load(open(os.path.join(tmp, "eof.json")))
    check(len(eof["answers"]) == 2, f"2 answers before EOF, got {eof}")

print("assess_interactive_test:", "FAILED" if failures else "ok",
      f"({len(failures)} failures)")
sys.exit(1 if failures else 0)
