// The journeys every shipped scenario drives against the demo target. A user logs in once, in
// `setup` (one demo user per VU; its token lasts the user's life), then each iteration is one of
// a weighted mix: browse the catalogue (60 %), search it (30 %; the demo app has no search
// endpoint, so a search pages deeper into the catalogue and opens a hit), or order (10 %), whose
// order and read-back are timed together as the `checkout` group, with the order's total as a
// custom metric. smoke walks browse, a search and an order in one journey instead.

import type { Journey, Scenario, Step } from '../dsl.js'

export const LOGIN: Step = {
  name: 'login',
  method: 'POST',
  path: '/api/login',
  json: { username: '{{user.username}}', password: '{{user.password}}' },
  check: { status: 200 },
  capture: { token: { json: '$.token' } },
}

const browse: Step[] = [
  {
    name: 'browse',
    path: '/api/products?limit=20',
    check: { status: 200, json: { '$.total': { exists: true } } },
    capture: { productId: { json: '$.items[3].id' } },
  },
  {
    name: 'product',
    path: '/api/products/{{productId}}',
    check: { status: 200, json: { '$.id': { exists: true } } },
  },
]

const search: Step[] = [
  {
    name: 'search',
    path: '/api/products?limit=10&offset=40',
    check: { status: 200, json: { '$.total': { exists: true } } },
    capture: { hitId: { json: '$.items[2].id' } },
  },
  {
    name: 'search-hit',
    path: '/api/products/{{hitId}}',
    check: { status: 200, json: { '$.id': { exists: true } } },
  },
]

const order: Step[] = [
  {
    name: 'pick',
    path: '/api/products?limit=20&offset=20',
    check: { status: 200 },
    capture: { productId: { json: '$.items[5].id' } },
  },
  {
    name: 'order',
    method: 'POST',
    path: '/api/orders',
    headers: { authorization: 'Bearer {{token}}' },
    json: { items: [{ productId: '{{productId}}', quantity: 1 }] },
    check: { status: 201 },
    capture: { orderId: { json: '$.id' } },
    group: 'checkout',
    metric: { name: 'order_total', from: { json: '$.total' }, type: 'trend' },
  },
  {
    name: 'view-order',
    path: '/api/orders/{{orderId}}',
    headers: { authorization: 'Bearer {{token}}' },
    check: { status: 200, json: { '$.id': { exists: true } } },
    group: 'checkout',
  },
]

/** The weighted mix of the load, stress, spike and soak scenarios. */
export const ERP_JOURNEYS: Journey[] = [
  { name: 'browse', weight: 6, steps: browse },
  { name: 'search', weight: 3, steps: search },
  { name: 'order', weight: 1, steps: order },
]

/** One journey through browse, a search and an order (smoke: does each kind of step work?). */
export const ERP_STEPS: Step[] = [...browse, search[0]!, ...order.slice(1)]

/** The shared parts: users from data/users.csv (one per VU, logged in once), a person's pause between pages. */
export const ERP_BASE: Omit<Scenario, 'name' | 'profile' | 'description'> = {
  setup: [LOGIN],
  journeys: ERP_JOURNEYS,
  thinkTime: { min: '0.5s', max: '1.5s' },
  data: { file: '../data/users.csv', mode: 'per-vu', as: 'user' },
}
