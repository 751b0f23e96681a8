import json

from incidex.training.corpus import find_all, load_jsonl, validate_files


def test_validation_reports_every_problem_with_file_line_id_field(tmp_path):
    p = tmp_path / "c.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "Gunmen killed two men.", "spans": [{"start": 7, "end": 13, "label": "KILLED"}]}),
        "{not json",
        json.dumps({"id": "b", "text": "   "}),
        json.dumps({"id": "c", "text": "abc", "spans": [{"start": 0, "end": 9, "label": "KILLED"}]}),
        json.dumps({"id": "d", "text": "a bomb", "spans": [{"start": 0, "end": 6, "label": "X"},
                                                           {"start": 2, "end": 6, "label": "X"}]}),
        json.dumps({"id": "a", "text": "dup", "casualties": {"killed": -1}}),
        json.dumps({"id": "e", "text": "x y", "spans": [{"start": 1, "end": 3, "label": "X"}], "colour": 1}),
    ]
    p.write_bytes(("\n".join(lines) + "\n").encode() + b'{"id": "f", "text": "caf\xe9"}\n')
    problems = [str(x) for x in validate_files([p], span_labels=["KILLED", "X"])]
    text = "\n".join(problems)
    assert f"{p}:2" in text and "bad JSON" in text
    assert "[id=b] text: empty" in text
    assert "[id=c] spans[0]: offsets 0..9 outside the text" in text
    assert "[id=d] spans[1]: overlaps spans[0]" in text
    assert "[id=a] id: duplicate id" in text and "casualties.killed" in text
    assert "colour: unknown field" in text
    assert "surrounding whitespace" in text
    assert f"{p}:8" in text and "not UTF-8" in text
    assert len(problems) >= 9


def test_clean_file_loads_with_default_ids(tmp_path):
    p = tmp_path / "ok.jsonl"
    p.write_text(json.dumps({"text": "A bomb exploded.", "attack_types": ["bombing"]}) + "\n")
    assert validate_files([p]) == []
    assert load_jsonl(p)[0]["id"] == "ok-1"


def test_find_all_respects_word_boundaries():
    assert find_all("ARMY and the army's armyman", "army") == [(0, 4), (13, 17)]


def test_annotated_field_is_validated():
    from incidex.training.corpus import check_document

    doc = {"id": "a", "text": "a bomb", "spans": [{"start": 2, "end": 6, "label": "WEAPON"}],
           "annotated": {"spans": ["KILLED"], "kinds": []}}
    problems = check_document(doc, span_labels={"KILLED", "WEAPON"})
    assert ("annotated.kinds", "unknown key (known: attack_types, spans)") in problems
    assert ("spans", "label 'WEAPON' is used but not in annotated.spans") in problems
    assert check_document({**doc, "annotated": {"spans": ["WEAPON", "KILLED"]}}) == []
    assert check_document({**doc, "annotated": {"spans": ["WEAPON", "GUN"]}}, span_labels={"WEAPON"}) == [
        ("annotated.spans", "unknown label 'GUN'")]
    assert check_document({**doc, "annotated": ["WEAPON"]})[0][0] == "annotated"
