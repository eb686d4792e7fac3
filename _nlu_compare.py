import asyncio, json, sys, glob
import yaml
from rasa.core.agent import Agent
texts = []
for f in sorted(glob.glob("bot/data/nlu/*.yml")):
    for block in yaml.safe_load(open(f)).get("nlu", []):
        ex = block.get("examples") or ""
        texts += [l[2:].strip() for l in ex.splitlines() if l.startswith("- ")]
for f in ["eval/team_questions.jsonl", "eval/notice_questions.jsonl"]:
    texts += [json.loads(l)["q"] for l in open(f) if l.strip()]
texts = [t for t in texts if not t.startswith("/")][:int(sys.argv[2])]
async def run(path):
    agent = Agent.load(path)
    out = []
    for t in texts:
        r = await agent.parse_message(t)
        out.append((r["intent"]["name"], round(r["intent"]["confidence"], 6)))
    return out
res = asyncio.run(run(sys.argv[1]))
json.dump(res, open(sys.argv[3], "w"), ensure_ascii=False)
print(len(res))
