// One grade order for SSL Labs and the MDN Observatory, so 'tls.grade >= A' and
// 'headers.grade >= B+' compare the same way. T (trust problem) and M (name mismatch) sit
// below F: SSL Labs gives them when the certificate itself is unusable, which is worse than weak.

/** Best first. */
export const GRADES = ['A+', 'A', 'A-', 'B+', 'B', 'B-', 'C+', 'C', 'C-', 'D+', 'D', 'D-', 'E', 'F', 'T', 'M'] as const

export type Grade = (typeof GRADES)[number]

const BY_NAME = new Map<string, Grade>(GRADES.map((g) => [g, g]))

/** The canonical grade for 'A+' or 'a+'; undefined when the text is not a grade. */
export function toGrade(text: string): Grade | undefined {
  return BY_NAME.get(text.trim().toUpperCase())
}

/** Higher is better: A+ has the highest rank, M rank 0. */
export function gradeRank(grade: Grade): number {
  return GRADES.length - 1 - GRADES.indexOf(grade)
}
