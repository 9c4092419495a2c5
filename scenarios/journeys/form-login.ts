import { defineScenario } from '../dsl.js'

/**
 * A person signing in through the demo app's server-rendered form: the login page (a CSRF token
 * in a hidden input and in a cookie), the form POST (303 to /account with a session cookie), the
 * account page. Needs the cookie jar and redirects (on by default): without them the POST is a 403.
 */
export default defineScenario({
  name: 'form-login',
  description: 'Ten users sign in through the HTML login form (CSRF token, session cookie, redirect) for 20 s.',
  profile: { model: 'closed', vus: 10, duration: '20s' },
  data: { file: '../data/users.csv', mode: 'per-vu', as: 'user' },
  thinkTime: { min: '0.5s', max: '1.5s' },
  steps: [
    { name: 'login-page', path: '/login', check: { status: 200 }, capture: { csrf: { regex: 'name="csrf" value="([^"]+)"' } } },
    {
      name: 'login',
      method: 'POST',
      path: '/login',
      form: { csrf: '{{csrf}}', username: '{{user.username}}', password: '{{user.password}}' },
      // the 303 is followed to /account: the step ends on the account page
      check: { status: 200, bodyContains: 'Signed in' },
    },
    { name: 'account', path: '/account', check: { status: 200, bodyContains: 'Signed in' } },
  ],
})
