"""A corpus of bad files: each is refused with its Thai message or opened with its whole
content, none crashes the program, and none changes by a byte (nor gains a journal or lock
beside it) until it is saved."""

from __future__ import annotations

import pytest

from itadesk import cli
from itadesk.db.document import Document
from itadesk.db.errors import MESSAGES, DocumentError
from itadesk.db.files import read_snapshot

from .samples import EXPECTED, SIDECAR_MARK, make_corpus, tree_state


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    return folder, make_corpus(folder)


def test_corpus_is_big_enough(corpus):
    assert len(corpus[1]) >= 15


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_is_refused_or_read_whole_and_never_changed(corpus, name):
    folder, files = corpus
    path = files[name]
    before = tree_state(folder)
    expected = EXPECTED[name]
    try:
        doc = Document.open(path)
    except DocumentError as exc:
        kinds = {expected} if isinstance(expected, str) else expected
        assert exc.kind in kinds, f"{name}: {exc.kind} ({exc.detail})"
        assert str(exc) == MESSAGES[exc.kind] and str(exc).strip()
    else:
        try:
            assert expected == "with-sidecar", f"{name} opened"
            assert not doc.readonly
            mark, present = SIDECAR_MARK[name]
            measures = [r[0] for r in doc._conn.execute("SELECT measure FROM actions")]
            assert measures and all((mark in m) == present for m in measures)
        finally:
            doc.close()
    assert tree_state(folder) == before, f"{name}: the folder changed"


@pytest.mark.parametrize("command", [["check"], ["summary", "--json"]])  # summary: results read while hashing
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_command_line_reads_bad_files_without_a_traceback(corpus, name, command, capsys):
    folder, files = corpus
    before = tree_state(folder)
    code = cli.main([command[0], str(files[name]), *command[1:]])
    err = capsys.readouterr().err
    if EXPECTED[name] == "with-sidecar":
        assert code in (0, 1)
    else:
        assert code == 2 and err.startswith("itadesk: ") and "Traceback" not in err
    assert tree_state(folder) == before


def test_hot_journal_is_rolled_back_in_the_private_copy_only(corpus):
    folder, files = corpus
    with read_snapshot(files["hot-journal.db"]) as conn:
        measures = [r[0] for r in conn.execute("SELECT measure FROM actions")]
    assert measures and not any("แก้ไขค้าง" in m for m in measures)
    assert (folder / "hot-journal.db-journal").exists()


def test_a_file_with_a_hot_journal_can_be_saved_as_a_clean_copy(corpus, stick):
    _, files = corpus
    doc = Document.open(files["hot-journal.db"], readonly=True)
    try:
        doc.save_as(stick / "clean.db")
        assert not doc.readonly
    finally:
        doc.close()
    assert sorted(p.name for p in stick.iterdir()) == ["clean.db"]
    reopened = Document.open(stick / "clean.db")
    assert not reopened.readonly
    reopened.close()


def test_merge_refuses_a_bad_source_and_leaves_the_target_alone(corpus, sample):
    _, files = corpus
    doc = Document.open(sample)
    try:
        for name in ("trigger.db", "picture.png.db", "newer-version.db"):
            with pytest.raises(DocumentError):
                doc.merge_from(files[name])
        assert not doc.dirty
    finally:
        doc.close()


@pytest.mark.parametrize("name, culprit", [("view.db", "organizations_v"), ("trigger.db", "wipe")])
def test_crafted_views_and_triggers_are_named_and_the_connection_is_left_alone(corpus, name, culprit, tmp_path):
    from itadesk.db.files import check_connection, connect, private_copy

    copy = private_copy(corpus[1][name], tmp_path)
    conn = connect(copy)
    try:
        with pytest.raises(DocumentError) as info:
            check_connection(conn, name)
        assert info.value.kind == "CRAFTED" and culprit in info.value.detail
        # sqlite-utils read the schema without setting pragmas on the untrusted connection
        assert conn.execute("PRAGMA recursive_triggers").fetchone()[0] == 0
    finally:
        conn.close()
