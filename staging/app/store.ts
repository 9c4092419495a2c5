// The demo app's data. An interface, so the staging stack can put PostgreSQL behind the same routes.

export interface Product {
  id: number
  sku: string
  name: string
  price: number
  stock: number
}
export interface OrderItem {
  productId: number
  quantity: number
  price: number
}
export interface Order {
  id: number
  userId: number
  items: OrderItem[]
  total: number
  createdAt: string
}
export interface User {
  id: number
  username: string
  password: string
}

export interface Store {
  listProducts(limit: number, offset: number): Promise<{ items: Product[]; total: number }>
  getProduct(id: number): Promise<Product | undefined>
  findUser(username: string): Promise<User | undefined>
  findUserById(id: number): Promise<User | undefined>
  createOrder(userId: number, items: { productId: number; quantity: number }[]): Promise<Order | { error: string }>
  getOrder(id: number): Promise<Order | undefined>
}

export const DEMO_PASSWORD = 'golive-demo'

/** In memory: 200 products, users user1..user1000 (password 'golive-demo'). */
export class MemoryStore implements Store {
  private products: Product[] = []
  private users = new Map<string, User>()
  private orders = new Map<number, Order>()
  private nextOrder = 1

  constructor(productCount = 200, userCount = 1000) {
    for (let i = 1; i <= productCount; i++) {
      this.products.push({ id: i, sku: `SKU-${String(i).padStart(5, '0')}`, name: `Product ${i}`, price: 5 + ((i * 37) % 200) + 0.99, stock: 1_000_000 })
    }
    for (let i = 1; i <= userCount; i++) this.users.set(`user${i}`, { id: i, username: `user${i}`, password: DEMO_PASSWORD })
  }

  async listProducts(limit: number, offset: number) {
    return { items: this.products.slice(offset, offset + limit), total: this.products.length }
  }
  async getProduct(id: number) {
    return this.products[id - 1]
  }
  async findUser(username: string) {
    return this.users.get(username)
  }
  async findUserById(id: number) {
    return this.users.get(`user${id}`)
  }
  async createOrder(userId: number, items: { productId: number; quantity: number }[]) {
    const lines: OrderItem[] = []
    for (const it of items) {
      const p = this.products[it.productId - 1]
      if (!p) return { error: `product ${it.productId} does not exist` }
      if (p.stock < it.quantity) return { error: `product ${it.productId} is out of stock` }
      lines.push({ productId: p.id, quantity: it.quantity, price: p.price })
    }
    for (const l of lines) this.products[l.productId - 1]!.stock -= l.quantity
    const order: Order = {
      id: this.nextOrder++,
      userId,
      items: lines,
      total: Math.round(lines.reduce((a, l) => a + l.price * l.quantity, 0) * 100) / 100,
      createdAt: new Date().toISOString(),
    }
    this.orders.set(order.id, order)
    return order
  }
  async getOrder(id: number) {
    return this.orders.get(id)
  }
}
