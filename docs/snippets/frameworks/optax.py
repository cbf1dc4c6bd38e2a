import jax
import jax.numpy as jnp
import optax

jax.config.update("jax_enable_x64", True)


def f(p):
    x, y = p
    return 2 * x**2 + 2 * x * y + 2 * y**2 - 6 * x


params = jnp.array([1.0, 0.0], dtype=jnp.float64)
opt = optax.rmsprop(learning_rate=0.01, decay=0.9, eps=1e-8)
state = opt.init(params)
for _ in range(1000):
    updates, state = opt.update(jax.grad(f)(params), state)
    params = optax.apply_updates(params, updates)
print(params.tolist())
