-- The grouping's matches of questions nobody linked are made again: the learned ranking they
-- came from could be sure of subjects no link had (its temperature fitted on held-out links
-- that a phrasing linked again and again predicted by itself), and a match now needs its
-- answer's links' words to make half the question. Each such question waits to be placed
-- anew; the report counts of its hour are recounted (the questions' triggers note them).
UPDATE questions SET matched = NULL, assigned = 0 WHERE matched IS NOT NULL AND answer IS NULL;
