"""Print the README's API examples with their real output, run against a real gunicorn:

    .venv/bin/python bench/api_examples.py > /tmp/examples.md

Paste the result into README.md's "The API" section whenever the engine's answers change.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.gunicorn_server import GunicornServer  # noqa: E402

SEED_EXAMPLE = r'''python3 -c 'import json, sys; print(json.dumps({"id": "000", "text": open(sys.argv[1]).read()}))' \
    tests/data/seeds/000_434039b970fa378d.txt > /tmp/article.json
curl -s -H 'Content-Type: application/json' --data-binary @/tmp/article.json \
    http://localhost:8000/v1/quotes > /tmp/result.json
python3 -c '
import json
result = json.load(open("/tmp/result.json"))
for q in result["quotes"]:
    print(q["id"], q["type"], q["kind"], "|", (q["speaker"] or {}).get("name"), "|", (q["cue"] or {}).get("text"),
          "|", (q["agency"] or {}).get("name"), "|", q["text"][:48])
print(result["meta"])'
'''
SENTENCE_EXAMPLE = r'''curl -s -H 'Content-Type: application/json' http://localhost:8000/v1/quotes -d '{"id": "b1",
  "text": "\"We have named the participants,\" Bogdanov told RIA Novosti."}' | python3 -m json.tool
'''
KINDS_EXAMPLE = r'''curl -s -H 'Content-Type: application/json' http://localhost:8000/v1/quotes -d '{"kinds": ["stance", "intention"],
  "text": "The mayor said the bridge was safe. The governor criticized the plan. The council plans to build a new one."}' \
  | python3 -c 'import json, sys; r = json.load(sys.stdin)
for q in r["quotes"]: print(q["id"], q["kind"], "|", q["cue"]["text"], "|", q["speaker"]["name"], "|", q["text"])
print(r["meta"]["kinds"])'
curl -s -H 'Content-Type: application/json' http://localhost:8000/v1/quotes -d '{"kinds": ["rumour"], "text": "The mayor said so."}'
'''


def main() -> None:
    with GunicornServer(workers=1) as server:
        for command in (SEED_EXAMPLE, SENTENCE_EXAMPLE, KINDS_EXAMPLE):
            run = subprocess.run(command.replace("http://localhost:8000", server.url), shell=True,
                                 capture_output=True, text=True, cwd=ROOT, check=True)
            print(f"```sh\n{command.rstrip()}\n```\n```text\n{run.stdout.rstrip()}\n```\n")


if __name__ == "__main__":
    main()
