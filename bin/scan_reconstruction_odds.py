"""How often can one respondent work out all the others' theme scores from a published
profile? The figures behind the threshold in docs/decisions/0013-scan-privacy.md.

Model: a closed round with `n` answer sets; each person's theme mean is the mean of `k`
statements scored 1–5 (so a multiple of 1/k). The page prints the theme mean rounded to
one decimal and, per theme, one word for the spread (standard deviation >= 1.0). An insider
knows their own theme mean. For every (own mean, multiset of the others' means) we count
the other multisets the insider cannot tell apart (same printed mean, same word); when
there is only one, the others' scores are known (as a multiset: not who gave which).
Each combination counts once (not weighted by how likely it is).

    python bin/scan_reconstruction_odds.py          # about a minute
"""

import itertools
import statistics
from collections import Counter
from fractions import Fraction


def determined(n: int, k: int, *, word: bool) -> tuple[int, int]:
    values = [Fraction(i, k) for i in range(k, 5 * k + 1)]
    total = unique = 0
    for own in values:
        seen: Counter = Counter()
        for others in itertools.combinations_with_replacement(values, n - 1):
            scores = [float(own), *map(float, others)]
            mean = round(statistics.fmean(scores), 1)
            differ = statistics.pstdev(scores) >= 1.0 if word else None
            seen[(mean, differ)] += 1
        total += sum(seen.values())
        unique += sum(1 for count in seen.values() if count == 1)
    return total, unique


def main() -> None:
    print("| statements per theme | answers | spread word | others fully determined |")
    print("|---|---|---|---|")
    for k in (1, 4):
        for n in (3, 4, 5):
            for word in (False, True):
                total, unique = determined(n, k, word=word)
                print(
                    f"| {k} | {n} | {'yes' if word else 'no'} | "
                    f"{unique}/{total} = {unique / total:.2%} |"
                )


if __name__ == "__main__":
    main()
