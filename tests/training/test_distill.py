"""Distillation: teachers' tag probabilities on the training windows, the KL loss, the trainer and a run."""

import json

import numpy as np
import pytest
import torch
from incidex.training.distill import add_teacher_probs, distill_loss, soften, teacher_tag_order
from incidex.training.features import DocumentCollator, build_features

from tests.conftest import SAMPLE_TRAIN, build_tiny_model, run_doctests

DOCS = [
    {"text": "Gunmen killed two soldiers and wounded three civilians in the town market on Monday. Police said the "
             "rebels of the front attacked the army station at the bus station in the village.",
     "spans": [{"start": 14, "end": 26, "label": "KILLED"}], "attack_types": ["armed attack"]},
    {"text": "A bomb attack on a bus killed several people, police said.", "spans": [], "attack_types": ["bombing"]},
]


def test_tag_order_maps_the_student_tags_and_refuses_a_missing_one():
    assert teacher_tag_order(["O", "B-A", "I-A"], ["O", "B-B", "I-B", "B-A", "I-A"], "t") == [0, 3, 4]
    with pytest.raises(ValueError, match="teacher t: has no tag B-A, I-A"):
        teacher_tag_order(["O", "B-A", "I-A"], ["O", "B-B", "I-B"], "t")


def test_soften_is_a_distribution_and_flattens_with_temperature():
    logp = np.log(np.array([[0.9, 0.05, 0.05]]))
    for t in (0.5, 1.0, 3.0):
        assert soften(logp, t).sum() == pytest.approx(1.0)
    assert soften(logp, 3.0)[0, 0] < soften(logp, 1.0)[0, 0] < soften(logp, 0.5)[0, 0]


def test_distill_loss_is_zero_at_the_teacher_and_pulls_the_student_towards_it():
    teacher = torch.tensor([[[0.1, 0.6, 0.3], [0.8, 0.1, 0.1]]])
    mask = torch.tensor([[True, True]])
    assert distill_loss(torch.log(teacher), teacher, mask).item() == pytest.approx(0.0, abs=1e-6)
    logits = torch.zeros(1, 2, 3, requires_grad=True)
    loss = distill_loss(logits, teacher, mask)
    loss.backward()
    step = logits - 1.0 * logits.grad  # one gradient step moves the student's probabilities to the teacher's
    assert distill_loss(step, teacher, mask) < loss
    assert torch.softmax(step, -1)[0, 0].argmax() == 1
    # masked tokens do not count; no token at all gives None
    assert distill_loss(logits, teacher, torch.tensor([[True, False]])).item() != pytest.approx(loss.item())
    assert distill_loss(logits, teacher, torch.tensor([[False, False]])) is None


def test_teacher_probs_are_the_teachers_mean_in_the_student_tag_order(saved_tiny, tiny_tokenizer, tmp_path):
    student = build_tiny_model(tiny_tokenizer, span_labels=["PERP_ORGANIZATION", "KILLED"])  # a subset, other order
    feats = build_features(DOCS, tiny_tokenizer, student.config)
    other = tmp_path / "other"
    build_tiny_model(tiny_tokenizer, seed=5).save_pretrained(other, tokenizer=tiny_tokenizer)
    add_teacher_probs(feats, [str(saved_tiny)], student.config.tags, tiny_tokenizer)
    one = [p.astype(np.float32) for f in feats for p in f["teacher_probs"]]
    add_teacher_probs(feats, [str(saved_tiny), str(other)], student.config.tags, tiny_tokenizer)
    both = [p.astype(np.float32) for f in feats for p in f["teacher_probs"]]
    windows = [w for f in feats for w in f["input_ids"]]
    assert len(windows) > len(feats)  # several windows per document
    for w, p, q in zip(windows, one, both, strict=True):
        assert p.shape == (len(w), len(student.config.tags))
        np.testing.assert_allclose(p.sum(-1), 1.0, atol=2e-3)
        assert not np.allclose(p, q, atol=1e-3)  # the second teacher changes the mean
    # the same numbers as the teacher's own log-probabilities, its columns reordered and renormalised
    from incidex.model.inference import load_backend
    from incidex.model.windows import pad_windows

    backend, _ = load_backend(str(saved_tiny))
    ids, mask = pad_windows(windows[:1], tiny_tokenizer.pad_token_id)
    logp = backend.run(ids, mask)[0][0]
    cols = [backend.config.tags.index(t) for t in student.config.tags]
    expected = np.exp(logp[:, cols]) / np.exp(logp[:, cols]).sum(-1, keepdims=True)
    np.testing.assert_allclose(one[0], expected, atol=2e-3)


def test_a_teacher_with_another_vocabulary_is_refused(saved_tiny, tiny_tokenizer, tmp_path):
    from transformers import AutoTokenizer

    other = AutoTokenizer.from_pretrained(saved_tiny)
    other.add_tokens(["newword"])
    student = build_tiny_model(tiny_tokenizer)
    feats = build_features(DOCS, other, student.config)
    with pytest.raises(ValueError, match="tokenizer's vocabulary differs"):
        add_teacher_probs(feats, [str(saved_tiny)], student.config.tags, other)


def test_collator_pads_teacher_probs_and_clears_windows_without_gradients(saved_tiny, tiny_tokenizer):
    student = build_tiny_model(tiny_tokenizer)
    feats = build_features(DOCS, tiny_tokenizer, student.config)
    add_teacher_probs(feats, [str(saved_tiny)], student.config.tags, tiny_tokenizer)
    batch = DocumentCollator(tiny_tokenizer.pad_token_id)(feats)
    probs, attention = batch["teacher_probs"], batch["attention_mask"].bool()
    assert probs.shape == (*batch["input_ids"].shape, len(student.config.tags))
    assert torch.allclose(probs.sum(-1)[attention], torch.ones(int(attention.sum())), atol=2e-3)
    assert float(probs.sum(-1)[~attention].abs().sum()) == 0.0
    limited = DocumentCollator(tiny_tokenizer.pad_token_id, max_windows=2, seed=0)(feats)
    off = ~limited["grad_windows"]
    assert off.any() and float(limited["teacher_probs"][off].sum()) == 0.0
    # the student's forward pass takes the batch once the trainer has taken teacher_probs out
    out = student(**{k: v for k, v in batch.items() if k != "teacher_probs"})
    assert out.loss is not None


def test_trainer_adds_the_weighted_distillation_loss(saved_tiny, tiny_tokenizer, tmp_path):
    from incidex.training.trainer import IncidexTrainer
    from transformers import TrainingArguments

    student = build_tiny_model(tiny_tokenizer)
    feats = build_features(DOCS, tiny_tokenizer, student.config)
    add_teacher_probs(feats, [str(saved_tiny)], student.config.tags, tiny_tokenizer)
    batch = DocumentCollator(tiny_tokenizer.pad_token_id)(feats)
    args = TrainingArguments(output_dir=str(tmp_path), report_to="none", use_cpu=True)
    student.eval()
    with torch.no_grad():  # the numbers only
        def loss(weight: float, with_teacher: bool = True) -> float:
            trainer = IncidexTrainer(model=student, args=args, distill_weight=weight)
            inputs = dict(batch) if with_teacher else {k: v for k, v in batch.items() if k != "teacher_probs"}
            return float(trainer.compute_loss(student, inputs))

        plain = float(student(**{k: v for k, v in batch.items() if k != "teacher_probs"}).loss)
        assert loss(0.0) == pytest.approx(plain) and loss(1.0, with_teacher=False) == pytest.approx(plain)
        mask = batch["owner_mask"] & batch["attention_mask"].bool()
        kl = float(distill_loss(student(**{k: v for k, v in batch.items() if k != "teacher_probs"}).tag_logits,
                                batch["teacher_probs"], mask))
        assert kl > 0 and loss(2.0) == pytest.approx(plain + 2.0 * kl, rel=1e-5)


def test_a_run_with_a_teacher_trains_on_it_and_records_it(saved_tiny, tiny_encoder_dir, tmp_path, monkeypatch):
    """The teacher must know the student's span labels: the tiny teacher has KILLED, WOUNDED and PERP_ORGANIZATION,
    so the student's corpus keeps only those."""
    from incidex.training import trainer
    from incidex.training.cli import main

    losses = []

    def spy(*args, **kwargs):
        out = distill_loss(*args, **kwargs)
        losses.append(out)
        return out

    monkeypatch.setattr(trainer, "distill_loss", spy)

    train = tmp_path / "train.jsonl"
    keep = {"KILLED", "WOUNDED", "PERP_ORGANIZATION"}
    with SAMPLE_TRAIN.open() as src, train.open("w") as out:
        for line in list(src)[:12]:
            rec = json.loads(line)
            rec["spans"] = [s for s in rec.get("spans", []) if s["label"] in keep]
            out.write(json.dumps(rec) + "\n")
    cfg = tmp_path / "config.yaml"
    cfg.write_text(
        f"data: {{train: [{train}]}}\n"
        f"model: {{encoder: {tiny_encoder_dir}, window_length: 64, window_stride: 16}}\n"
        f"training: {{max_steps: 2, batch_size: 4, report_to: [], teachers: [{saved_tiny}], distill_weight: 0.5,"
        f" distill_temperature: 2.0}}\n"
    )
    assert main(["train", "--config", str(cfg), "--output-dir", str(tmp_path / "model")]) == 0
    # both steps learned from the teacher: a KL with a graph back to the student's weights
    assert len(losses) == 2 and all(x is not None and x.item() > 0 and x.requires_grad for x in losses)
    config = json.loads((tmp_path / "model" / "config.json").read_text())
    assert config["training_info"]["config"]["training"]["teachers"] == [str(saved_tiny)]
    assert config["training_info"]["config"]["training"]["distill_temperature"] == 2.0


def test_a_teacher_without_a_student_label_stops_the_run_before_training(saved_tiny, tiny_encoder_dir, tmp_path,
                                                                          capsys):
    from incidex.training.cli import main

    cfg = tmp_path / "config.yaml"
    cfg.write_text(
        f"data: {{train: [{SAMPLE_TRAIN}]}}\n"
        f"model: {{encoder: {tiny_encoder_dir}, window_length: 64, window_stride: 16}}\n"
        f"training: {{max_steps: 1, report_to: [], teachers: [{saved_tiny}]}}\n"
    )
    assert main(["train", "--config", str(cfg), "--output-dir", str(tmp_path / "model")]) != 0
    assert "has no tag" in capsys.readouterr().err
    assert not (tmp_path / "model" / "model.safetensors").exists()
    # weight 0 turns the teachers off: they are not even read
    off = cfg.read_text().replace("teachers: [", "distill_weight: 0, teachers: [")
    cfg.write_text(off)
    assert main(["train", "--config", str(cfg), "--output-dir", str(tmp_path / "off")]) == 0


def test_doctests():
    from incidex.training import distill

    run_doctests(distill)
