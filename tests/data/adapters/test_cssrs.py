"""cssrs adapter on the real file: one item per post, grouped by user.

SOURCE.md: 500 users, "about 6,745 posts", 28 cells do not parse. 6,745 is the post count of the 472 users
whose list parses (Ideation 2,245, Behavior 1,421, Attempt 564, Supportive 1,265, Indicator 1,250). The 28
others are cut at 32,759 characters; the adapter keeps their complete posts (2,354: Ideation 495, Behavior
364, Attempt 185, Supportive 777, Indicator 533), so 9,099 items in all. Positives 4,230 + 1,044 = 5,274,
negatives 1,265 + 777 = 2,042, Indicator posts 1,250 + 533 = 1,783 unmapped; 401 labelled users (500 minus
99 Indicator) = 401 groups.
"""

from tests.conftest import label_counts, run_adapter
from toxsynth.data import adapters
from toxsynth.data.adapters.cssrs import parse_posts
from toxsynth.data.records import SourceRow


def test_counts_match_source_md(mirror, sources):
    items = run_adapter(sources["cssrs"], mirror / "cssrs")
    assert label_counts(items) == {
        "rows": 9_099,
        "self_harm:pos": 2_245 + 1_421 + 564 + 495 + 364 + 185,
        "self_harm:neg": 1_265 + 777,
        "skip:unmapped": 1_250 + 533,
    }
    assert len({i.group for i in items if isinstance(i, SourceRow)}) == 401


def test_parse_posts_whole_and_cut_lists():
    assert parse_posts("""['I like trains', "the weather's bad"]""") == ["I like trains", "the weather's bad"]
    # cut inside the third post: the two complete posts are kept, even with a separator-like run inside one
    assert parse_posts("""['I like trains', "it's, 'fine'", 'the weather is b""") == ["I like trains", "it's, 'fine'"]
    assert parse_posts("['the weather is b") is None
    assert parse_posts("not a list") is None


def test_posts_carry_the_user_label_and_group(tmp_path):
    path = tmp_path / "500_Reddit_users_posts_labels.csv"
    path.write_text(
        'User,Post,Label\n'
        'user-0,"[\'I like trains\', \'the bus is late\']",Attempt\n'
        'user-1,"[\'the weather is bad\']",Supportive\n'
        'user-2,"[\'it rains\']",Indicator\n'
        "user-3,\"['it snows\",Ideation\n"
        'user-4,"[\'it is cold\']",Behavior\n'
        'user-5,"[\'the fog lifts\']",Ideation\n',
        encoding="utf-8",
    )
    items = list(adapters.get("cssrs")({path.name: path}, {}))
    rows = [(i.text, dict(i.labels), i.group) for i in items if isinstance(i, SourceRow)]
    assert rows == [
        ("I like trains", {"self_harm": 1}, "cssrs:user-0"),
        ("the bus is late", {"self_harm": 1}, "cssrs:user-0"),
        ("the weather is bad", {"self_harm": 0}, "cssrs:user-1"),
        ("it is cold", {"self_harm": 1}, "cssrs:user-4"),
        ("the fog lifts", {"self_harm": 1}, "cssrs:user-5"),
    ]
    assert label_counts(items) == {"rows": 7, "self_harm:pos": 4, "self_harm:neg": 1, "skip:unmapped": 1,
                                   "skip:unparseable": 1}
