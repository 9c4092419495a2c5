// gates/: the only place figures become verdicts.
export { evaluate } from './evaluate.js'
export { parseGate, formatGate, GateParseError, GATE_LEVELS } from './parse.js'
export { PRESETS, resolveGates } from './presets.js'
export { parseTarget, describeTarget, align, TargetError, TARGET_FORMS, type Target, type Alignment } from './target.js'
export { GRADES, gradeRank, toGrade, type Grade } from './grades.js'
export { GATE_OPS, OPERATORS } from './operators.js'
export { matchesFigure, expandFigure, sourceName } from './figures.js'
export { buildScorecard, isFailure } from './scorecard.js'
