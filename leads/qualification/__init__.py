"""BANT scoring as pure functions: no database, no clock, no settings.

    evidence.py     what a call offers as evidence (CallEvidence) and what the caller said (Turn)
    policy.py       the published policy as an immutable snapshot, with compiled patterns
    answers.py      how one answer reads: positive, a bare yes, negative, or no answer
    scoring.py      score(policy, evidence, intent=...) -> ScoreResult, with the evidence per dimension
    intent.py       the caller's intent: the assistant's, else a keyword count
    disposition.py  the disposition table: the first rule whose conditions all hold
    structured.py   reading what the assistant wrote down (structuredData): the keys, any spelling

The same inputs always give the same result, so a score can be recomputed and explained
at any time; leads/services/qualification.py gathers the inputs and stores the result.
"""
