import tensorflow as tf
import tf_keras

tf_keras.backend.set_floatx("float64")
xy = tf.Variable([1.0, 0.0], dtype=tf.float64)
opt = tf_keras.optimizers.RMSprop(learning_rate=0.01, rho=0.9, epsilon=1e-8)
for _ in range(1000):
    with tf.GradientTape() as tape:
        x, y = xy[0], xy[1]
        loss = 2 * x**2 + 2 * x * y + 2 * y**2 - 6 * x
    opt.apply_gradients([(tape.gradient(loss, xy), xy)])
print(xy.numpy().tolist())
