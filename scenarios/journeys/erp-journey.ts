// The journey every shipped scenario drives against the demo target: browse the catalogue, open a
// product, log in (one demo user per VU), place an order and read it back.

import type { Scenario, Step } from '../dsl.js'

export const ERP_STEPS: Step[] = [
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
  {
    name: 'login',
    method: 'POST',
    path: '/api/login',
    json: { username: '{{user.username}}', password: '{{user.password}}' },
    check: { status: 200 },
    capture: { token: { json: '$.token' } },
  },
  {
    name: 'order',
    method: 'POST',
    path: '/api/orders',
    headers: { authorization: 'Bearer {{token}}' },
    json: { items: [{ productId: '{{productId}}', quantity: 1 }] },
    check: { status: 201 },
    capture: { orderId: { json: '$.id' } },
  },
  {
    name: 'view-order',
    path: '/api/orders/{{orderId}}',
    headers: { authorization: 'Bearer {{token}}' },
    check: { status: 200, json: { '$.id': { exists: true } } },
  },
]

/** The shared parts: users from data/users.csv (one per VU), and a person's pause between pages. */
export const ERP_BASE: Omit<Scenario, 'name' | 'profile' | 'description'> = {
  steps: ERP_STEPS,
  thinkTime: { min: '0.5s', max: '1.5s' },
  data: { file: '../data/users.csv', mode: 'per-vu', as: 'user' },
}
