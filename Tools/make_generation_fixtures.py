#!/usr/bin/env python3
"""Write transformers' generation outputs for the gpt2_lm fixture checkpoint.

Output: Tests/KerasHubModelsTests/Fixtures/generation/gpt2_lm.json

The model is Tests/KerasHubModelsTests/Fixtures/gpt2_lm (a random GPT2LMHeadModel: vocab 160,
n_positions 32) loaded with GPT2LMHeadModel.from_pretrained, eager attention, eval mode, float32.
Every run is one prompt on its own (no padding): that is the reference for each sequence of a
batched, ragged Swift call.

Generation settings (recorded in the JSON under "settings"):
  * `eos_token_id=None` and `pad_token_id=0` for the greedy and beam runs, so nothing stops before
    max_length (the checkpoint's config says eos 1, a reachable token);
  * lengths are totals (prompt + new tokens) as KerasHub's max_length: max_new_tokens = max_length - len(prompt);
  * greedy: do_sample=False, num_beams=1;
  * beam: do_sample=False, num_beams=n, length_penalty=0.0, early_stopping=False,
    num_return_sequences=1. With no eos, no hypothesis finishes early, so length_penalty and
    early_stopping cannot change the result: it is the beam of highest summed log-probability
    after max_length, which is KerasHub's BeamSampler (and ours);
  * stop: greedy with eos_token_id set to a token the greedy continuation reaches, so transformers
    stops right after emitting it.
For each greedy run, "min_margin" is the smallest gap between the top two logits over the steps,
so a parity failure can be told apart from a near tie.

Also "logits": the full-sequence logits at the last position of the 12-token prompt.

Run:  .venv-ref/bin/python Tools/make_generation_fixtures.py
A rerun reproduces an identical file (fixed seed).
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
import transformers
from transformers import GPT2LMHeadModel

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "Tests" / "KerasHubModelsTests" / "Fixtures"
PROMPT_LENGTHS = [1, 3, 7, 12]
GREEDY_MAX_LENGTH = 32  # the whole position table
BEAM_MAX_LENGTH = 20
BEAM_WIDTHS = [2, 3]


def main() -> None:
    model = GPT2LMHeadModel.from_pretrained(FIXTURES / "gpt2_lm", attn_implementation="eager").eval()
    vocab = model.config.vocab_size
    generator = torch.Generator().manual_seed(20240611)
    prompts = [torch.randint(1, vocab, (n,), generator=generator).tolist() for n in PROMPT_LENGTHS]

    def run(prompt, max_length, **kwargs):
        ids = torch.tensor([prompt])
        with torch.inference_mode():
            out = model.generate(
                ids, attention_mask=torch.ones_like(ids), max_new_tokens=max_length - len(prompt),
                pad_token_id=0, return_dict_in_generate=True, output_scores=True, **kwargs)
        return out

    greedy = []
    for prompt in prompts:
        out = run(prompt, GREEDY_MAX_LENGTH, do_sample=False, num_beams=1, eos_token_id=None)
        margins = [float((s[0].topk(2).values[0] - s[0].topk(2).values[1])) for s in out.scores]
        greedy.append({"prompt": prompt, "max_length": GREEDY_MAX_LENGTH,
                       "output": out.sequences[0].tolist(), "min_margin": min(margins)})
        assert len(out.sequences[0]) == GREEDY_MAX_LENGTH

    beams = []
    for width in BEAM_WIDTHS:
        for prompt in prompts:
            out = run(prompt, BEAM_MAX_LENGTH, do_sample=False, num_beams=width, length_penalty=0.0,
                      early_stopping=False, num_return_sequences=1, eos_token_id=None)
            assert len(out.sequences[0]) == BEAM_MAX_LENGTH
            beams.append({"prompt": prompt, "max_length": BEAM_MAX_LENGTH, "num_beams": width,
                          "output": out.sequences[0].tolist(),
                          "sequence_score": float(out.sequences_scores[0])})

    # Stop tokens: for the 3-token prompt, the first token greedy emits for the first time at
    # step 3 or later, so that generation visibly runs a few steps before stopping.
    base = greedy[1]
    generated = base["output"][len(base["prompt"]):]
    stop = next(t for i, t in enumerate(generated) if i >= 3 and generated.index(t) == i)
    out = run(base["prompt"], GREEDY_MAX_LENGTH, do_sample=False, num_beams=1, eos_token_id=stop)
    stopped = out.sequences[0].tolist()
    assert stopped[-1] == stop and len(stopped) == len(base["prompt"]) + generated.index(stop) + 1
    stops = [{"prompt": base["prompt"], "max_length": GREEDY_MAX_LENGTH, "stop_token_ids": [stop], "output": stopped}]

    logits_prompt = prompts[-1]
    with torch.inference_mode():
        logits = model(torch.tensor([logits_prompt])).logits[0, -1].tolist()

    document = {
        "model": "gpt2_lm",
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__},
        "settings": {
            "greedy": "generate(do_sample=False, num_beams=1, eos_token_id=None, pad_token_id=0, max_new_tokens=max_length-len(prompt))",
            "beam": "generate(do_sample=False, num_beams=n, length_penalty=0.0, early_stopping=False, num_return_sequences=1, eos_token_id=None, pad_token_id=0, max_new_tokens=max_length-len(prompt))",
            "stop": "greedy with eos_token_id=stop_token_ids[0]",
            "logits": "model(prompt).logits[0, -1], eager attention, float32",
        },
        "greedy": greedy,
        "beam": beams,
        "stop": stops,
        "logits": {"prompt": logits_prompt, "last_position": logits},
    }
    out_dir = FIXTURES / "generation"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "gpt2_lm.json").write_text(json.dumps(document, indent=1) + "\n")
    print(f"wrote {out_dir / 'gpt2_lm.json'}; greedy min margins:",
          [round(g["min_margin"], 4) for g in greedy])


if __name__ == "__main__":
    main()
