// The weighted mix: each iteration picks one journey with probability weight / sum of weights
// (Artillery's and Locust's semantics). Pure, so both engines (the k6 runtime bundles it) pick alike.

export interface WeightedJourney {
  name: string
  weight: number
}

/** The journey for one iteration; `r` is uniform in [0, 1). */
export function pickJourney<J extends WeightedJourney>(journeys: readonly J[], r: number = Math.random()): J {
  if (journeys.length === 1) return journeys[0]!
  let total = 0
  for (const j of journeys) total += j.weight
  let x = r * total
  for (const j of journeys) {
    if (x < j.weight) return j
    x -= j.weight
  }
  // r × total rounded up to total: the last journey with a weight
  for (let i = journeys.length - 1; i >= 0; i--) if (journeys[i]!.weight > 0) return journeys[i]!
  return journeys[journeys.length - 1]!
}
