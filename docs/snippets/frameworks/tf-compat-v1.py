import tensorflow as tf

tf1 = tf.compat.v1
tf1.disable_eager_execution()
xy = tf1.Variable([1.0, 0.0], dtype=tf.float64)
x, y = xy[0], xy[1]
loss = 2 * x**2 + 2 * x * y + 2 * y**2 - 6 * x
opt = tf1.train.RMSPropOptimizer(learning_rate=0.01, decay=0.9, epsilon=1e-8)
train = opt.minimize(loss)
with tf1.Session() as sess:
    sess.run(tf1.global_variables_initializer())
    for _ in range(1000):
        sess.run(train)
    print(sess.run(xy).tolist())
