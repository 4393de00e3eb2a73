import { unvalidatedInput } from "../../rules/catalogue/unvalidated-input";
import { testRule } from "../rule-tester";

testRule(unvalidatedInput, {
  valid: [
    {
      name: "zod parse before the write",
      code: `import express from "express";
import { z } from "zod";
import { prisma } from "./db";

const CreateUser = z.object({ email: z.string().email(), name: z.string().max(100) });
const app = express();

app.post("/users", async (req, res) => {
  const data = CreateUser.parse(req.body);
  const user = await prisma.user.create({ data });
  res.status(201).json(user);
});`,
    },
    {
      name: "safeParse with an early return, then the raw body (the handler validates)",
      code: `router.patch("/profile", async (req, res) => {
  const result = ProfileSchema.safeParse(req.body);
  if (!result.success) return res.status(400).json(result.error.flatten());
  await prisma.profile.update({ where: { userId: req.user.id }, data: req.body });
  res.sendStatus(204);
});`,
    },
    {
      name: "joi validate in the handler",
      code: `const Joi = require("joi");
const schema = Joi.object({ title: Joi.string().max(200).required() });

router.post("/posts", async (req, res) => {
  const { error, value } = schema.validate(req.body);
  if (error) return res.status(400).send(error.message);
  const post = await Post.create(value);
  res.json(post);
});`,
    },
    {
      name: "express-validator chain in the route + validationResult",
      code: `import { body, validationResult } from "express-validator";

router.post(
  "/signup",
  body("email").isEmail().normalizeEmail(),
  body("password").isLength({ min: 12 }),
  async (req, res) => {
    const errors = validationResult(req);
    if (!errors.isEmpty()) return res.status(400).json({ errors: errors.array() });
    const { email, password } = req.body;
    await User.create({ email, passwordHash: await hash(password) });
    res.sendStatus(201);
  },
);`,
    },
    {
      name: "a validate(schema) middleware before the handler",
      code: `router.post("/orders", requireAuth, validate(createOrderSchema), async (req, res) => {
  const order = await prisma.order.create({ data: { ...req.body, userId: req.user.id } });
  res.status(201).json(order);
});`,
    },
    {
      name: "a router named api, validation middleware",
      code: `const api = express.Router();
api.post("/invites", requireAdmin, validateRequest({ body: InviteSchema }), async (req, res) => {
  res.json(await prisma.invite.create({ data: req.body }));
});`,
    },
    {
      name: "celebrate",
      code: `import { celebrate, Joi, Segments } from "celebrate";
router.put("/items/:id", celebrate({ [Segments.BODY]: Joi.object({ name: Joi.string() }) }), async (req, res) => {
  await Item.findByIdAndUpdate(req.params.id, req.body);
  res.sendStatus(204);
});`,
    },
    {
      name: "Fastify route with a body schema",
      code: `import Fastify from "fastify";
const fastify = Fastify();

fastify.post("/users", { schema: { body: CreateUserBody, response: { 201: UserReply } } }, async (request, reply) => {
  const user = await prisma.user.create({ data: request.body });
  return reply.code(201).send(user);
});`,
    },
    {
      name: "Fastify: a named handler registered with a schema in the same file",
      code: `async function createOrder(request: FastifyRequest, reply: FastifyReply) {
  const order = await prisma.order.create({ data: request.body as Prisma.OrderCreateInput });
  return reply.code(201).send(order);
}

export default async function routes(app: FastifyInstance) {
  app.post("/orders", { schema: { body: OrderBody } }, createOrder);
}`,
    },
    {
      name: "Fastify route() with a schema",
      code: `fastify.route({
  method: "POST",
  url: "/products",
  schema: productSchema,
  handler: async (request) => Product.create(request.body),
});`,
    },
    {
      name: "NestJS: a DTO class body",
      code: `import { Body, Controller, Post } from "@nestjs/common";
import { CreateUserDto } from "./dto/create-user.dto";

@Controller("users")
export class UsersController {
  constructor(private readonly prisma: PrismaService) {}

  @Post()
  create(@Body() dto: CreateUserDto) {
    return this.prisma.user.create({ data: dto });
  }
}`,
    },
    {
      name: "NestJS: an untyped body with a validation pipe",
      code: `@Controller("notes")
export class NotesController {
  @Post()
  create(@Body(new ZodValidationPipe(noteSchema)) body: any) {
    return this.notesRepository.save(body);
  }
}`,
    },
    {
      name: "scalar route params as lookup keys; Number() for pagination",
      code: `app.get("/users/:id/posts", async (req, res) => {
  const user = await prisma.user.findUnique({ where: { id: req.params.id } });
  const posts = await prisma.post.findMany({ where: { authorId: req.params.id }, skip: Number(req.query.page) * 20, take: 20 });
  res.json({ user, posts });
});`,
    },
    {
      name: "a single field as an SQL-ORM lookup value (Prisma, Sequelize)",
      code: `app.post("/password-reset", async (req, res) => {
  const user = await prisma.user.findFirst({ where: { email: req.body.email } });
  const legacy = await LegacyUser.findOne({ where: { email: req.body.email } });
  if (user || legacy) await sendResetMail(req.body.email);
  res.sendStatus(202);
});`,
    },
    {
      name: "MongoDB filter values cast or wrapped in $eq",
      code: `app.post("/login", async (req, res) => {
  const user = await User.findOne({ email: String(req.body.email), status: { $eq: req.body.status } });
  res.json({ ok: !!user });
});`,
    },
    {
      name: "parameterized SQL and Prisma's tagged $queryRaw",
      code: `app.get("/orders/:id", async (req, res) => {
  const { rows } = await pool.query("SELECT * FROM orders WHERE id = $1 AND owner = $2", [req.params.id, req.query.owner]);
  const totals = await prisma.$queryRaw\`SELECT sum(total) FROM orders WHERE owner = \${req.query.owner}\`;
  res.json({ order: rows[0], totals });
});`,
    },
    {
      name: "a service call is not a database call (it may validate)",
      code: `router.post("/users", async (req, res) => {
  const user = await usersService.create(req.body);
  res.status(201).json(user);
});`,
    },
    {
      name: "server-side amount for Stripe",
      code: `app.post("/checkout", async (req, res) => {
  const order = await prisma.order.findUnique({ where: { id: req.params.orderId } });
  const intent = await stripe.paymentIntents.create({ amount: order!.total, currency: "usd" }, { idempotencyKey: order!.id });
  res.json({ clientSecret: intent.client_secret });
});`,
    },
    {
      name: "class-validator on a plain-to-instance DTO",
      code: `import { plainToInstance } from "class-transformer";
import { validate } from "class-validator";

app.post("/teams", async (req, res) => {
  const dto = plainToInstance(CreateTeamDto, req.body);
  const errors = await validate(dto);
  if (errors.length) return res.status(400).json(errors);
  await teamRepository.save(req.body);
  res.sendStatus(201);
});`,
    },
    {
      name: "an app.use middleware (audit log) is not a route",
      code: `app.use(async (req, res, next) => {
  await AuditLog.create({ path: req.path, body: req.body });
  next();
});`,
    },
    {
      name: "Koa with joi",
      code: `router.post("/tags", async (ctx) => {
  const value = await tagSchema.validateAsync(ctx.request.body);
  ctx.body = await Tag.create(value);
});`,
    },
    {
      name: "a handler registered with validation in another file",
      file: "src/controllers/users.ts",
      code: `export const createUser = async (req: Request, res: Response) => {
  const user = await User.create(req.body);
  res.status(201).json(user);
};`,
      otherFiles: [
        {
          file: "src/routes/users.ts",
          code: `import { createUser } from "../controllers/users";
import { validateBody } from "../middleware/validate";
router.post("/users", validateBody(createUserSchema), createUser);`,
        },
      ],
    },
    {
      name: "express-openapi-validator validates every route",
      code: `app.post("/pets", async (req, res) => {
  res.json(await Pet.create(req.body));
});`,
      otherFiles: [{ file: "src/app.ts", code: `import * as OpenApiValidator from "express-openapi-validator";\napp.use(OpenApiValidator.middleware({ apiSpec: "./openapi.yaml" }));` }],
    },
    {
      name: "express-mongo-sanitize strips operators from field values",
      packages: ["express", "mongoose", "express-mongo-sanitize"],
      code: `app.post("/login", async (req, res) => {
  const user = await User.findOne({ email: req.body.email });
  res.json({ ok: !!user });
});`,
    },
    {
      name: "webhook receivers are left to webhook-signature-unverified",
      code: `router.post("/webhooks/stripe", express.json(), async (req, res) => {
  const session = req.body.data.object;
  await prisma.subscription.create({ data: { teamId: session.metadata.teamId, stripeId: session.subscription } });
  res.json({ received: true });
});`,
    },
    {
      name: "a test file",
      file: "test/users.test.ts",
      code: `app.post("/users", async (req, res) => res.json(await prisma.user.create({ data: req.body })));`,
    },
  ],
  invalid: [
    {
      name: "Express + Prisma: the whole body is the data",
      code: `import express from "express";
import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();
const app = express();
app.use(express.json());

app.post("/users", async (req, res) => {
  const user = await prisma.user.create({ data: req.body });
  res.status(201).json(user);
});`,
      errors: [
        {
          line: 9,
          column: 49,
          endColumn: 57,
          message: "Unvalidated request input `req.body` flows into `prisma.user.create`: the client decides which fields are written (mass assignment: `role`, `isAdmin`, `price`…) and their types and sizes. Parse it with a schema (zod, joi, class-validator DTO…) first.",
          severity: "warning",
        },
      ],
    },
    {
      name: "destructured fields written",
      code: `router.post("/register", async (req, res) => {
  const { email, name, role } = req.body;
  const user = await prisma.user.create({ data: { email, name, role } });
  res.json(user);
});`,
      errors: [{ line: 3, column: 51, endColumn: 56, message: /`email` flows into `prisma\.user\.create`: nothing checks its type, format or size/ }],
    },
    {
      name: "spread of the body with a server-side field",
      code: `router.post("/projects", auth, async (req, res) => {
  const project = await prisma.project.create({ data: { ...req.body, ownerId: req.user.id } });
  res.status(201).json(project);
});`,
      errors: [{ line: 2, column: 60, endColumn: 68 }],
    },
    {
      name: "the body assigned to a variable, then Mongoose create",
      code: `exports.createProduct = async (req, res) => {
  const data = req.body;
  const product = await Product.create(data);
  res.status(201).json(product);
};`,
      errors: [{ line: 3, column: 40, endColumn: 44 }],
    },
    {
      name: "Mongoose: the query string as a filter",
      code: `const User = require("../models/user");

router.get("/users", async (req, res) => {
  const users = await User.find(req.query).limit(50);
  res.json(users);
});`,
      errors: [{ line: 4, column: 33, endColumn: 42, message: /MongoDB filter of `User\.find`/ }],
    },
    {
      name: "Mongoose login: operator injection",
      code: `router.post("/login", async (req, res) => {
  const { email, password } = req.body;
  const user = await User.findOne({ email, password: hashLegacy(password) });
  if (!user) return res.status(401).end();
  res.json({ token: sign(user.id) });
});`,
      errors: [{ line: 3, column: 37, endColumn: 42, message: /NoSQL injection/ }],
    },
    {
      name: "Prisma findMany with the whole query as where",
      code: `app.get("/products", async (req, res) => {
  res.json(await prisma.product.findMany({ where: req.query, take: 100 }));
});`,
      errors: [{ line: 2, column: 51, endColumn: 60 }],
    },
    {
      name: "NestJS: untyped @Body into a TypeORM repository",
      code: `import { Body, Controller, Post } from "@nestjs/common";

@Controller("users")
export class UsersController {
  constructor(@InjectRepository(User) private readonly usersRepository: Repository<User>) {}

  @Post()
  async create(@Body() body: any) {
    return this.usersRepository.save(body);
  }
}`,
      errors: [{ line: 9, column: 38, endColumn: 42 }],
    },
    {
      name: "NestJS: Record-typed @Query and a same-file interface @Body",
      code: `interface UpdateProductInput { name?: string; price?: number }

@Controller("products")
export class ProductsController {
  @Get()
  list(@Query() query: Record<string, string>) {
    return this.prisma.product.findMany({ where: query });
  }

  @Patch(":id")
  update(@Param("id") id: string, @Body() input: UpdateProductInput) {
    return this.productModel.findByIdAndUpdate(id, input, { new: true });
  }
}`,
      errors: [
        { line: 7, column: 50, endColumn: 55 },
        { line: 12, column: 52, endColumn: 57 },
      ],
    },
    {
      name: "Koa",
      code: `router.post("/articles", async (ctx) => {
  ctx.body = await Article.create(ctx.request.body);
  ctx.status = 201;
});`,
      errors: [{ line: 2, column: 35, endColumn: 51 }],
    },
    {
      name: "Fastify without a schema, Knex insert",
      code: `fastify.post("/events", async (request, reply) => {
  const [id] = await knex("events").insert(request.body).returning("id");
  return reply.code(201).send({ id });
});`,
      errors: [{ line: 2, column: 44, endColumn: 56 }],
    },
    {
      name: "Fastify with only a querystring schema still writes the raw body",
      code: `fastify.put("/settings", { schema: { querystring: TenantQuery } }, async (request) => {
  return prisma.setting.update({ where: { tenant: request.query.tenant }, data: request.body as any });
});`,
      errors: [{ line: 2, column: 81, endColumn: 93 }],
    },
    {
      name: "SQL built with a template literal (route params count here)",
      code: `app.get("/invoices/:id", async (req, res) => {
  const { rows } = await pool.query(\`SELECT * FROM invoices WHERE id = \${req.params.id}\`);
  res.json(rows[0]);
});`,
      errors: [{ line: 2, column: 74, endColumn: 87, severity: "error", message: /interpolated into the SQL text of `pool\.query` \(SQL injection\)/ }],
    },
    {
      name: "SQL text in a variable",
      code: `app.get("/reports", async (req, res) => {
  const sort = req.query.sort;
  const sql = "SELECT * FROM reports ORDER BY " + sort;
  res.json(await db.query(sql));
});`,
      errors: [{ line: 4, column: 27, endColumn: 30, severity: "error" }],
    },
    {
      name: "Stripe: the client picks the amount",
      code: `import Stripe from "stripe";
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

app.post("/create-payment-intent", async (req, res) => {
  const { amount, currency } = req.body;
  const intent = await stripe.paymentIntents.create({ amount, currency, automatic_payment_methods: { enabled: true } });
  res.send({ clientSecret: intent.client_secret });
});`,
      errors: [{ line: 6, column: 55, endColumn: 61, message: /is sent to `stripe\.paymentIntents\.create`: the client controls the payment parameters/ }],
    },
    {
      name: "Sequelize update with the body",
      code: `router.put("/books/:id", async (req, res) => {
  await Book.update(req.body, { where: { id: req.params.id } });
  res.sendStatus(204);
});`,
      errors: [{ line: 2, column: 21, endColumn: 29 }],
    },
    {
      name: "Sequelize findAll with the query string as where",
      code: `router.get("/books", async (req, res) => {
  res.json(await db.Book.findAll({ where: req.query }));
});`,
      errors: [{ line: 2, column: 43, endColumn: 52 }],
    },
    {
      name: "new Model(req.body).save()",
      code: `router.post("/comments", async (req, res) => {
  const comment = new Comment(req.body);
  await comment.save();
  res.status(201).json(comment);
});`,
      errors: [{ line: 2, column: 31, endColumn: 39 }],
    },
    {
      name: "Next.js API route: MongoDB driver with the query",
      file: "pages/api/search.ts",
      code: `export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const db = (await clientPromise).db();
  const items = await db.collection("items").find(req.query).toArray();
  res.json(items);
}`,
      errors: [{ line: 3, column: 51, endColumn: 60 }],
    },
    {
      name: "Drizzle insert",
      code: `app.post("/todos", async (req, res) => {
  const [todo] = await db.insert(todos).values(req.body).returning();
  res.json(todo);
});`,
      errors: [{ line: 2, column: 48, endColumn: 56 }],
    },
    {
      name: "one finding per sink call",
      code: `router.post("/accounts", async (req, res) => {
  const account = await prisma.account.create({ data: { name: req.body.name, plan: req.body.plan } });
  await prisma.auditLog.create({ data: { action: "create", payload: req.body } });
  res.json(account);
});`,
      errors: [
        { line: 2, column: 63, endColumn: 76 },
        { line: 3, column: 69, endColumn: 77 },
      ],
    },
    {
      name: "a controller method registered elsewhere without validation",
      file: "src/controllers/users.ts",
      code: `export const createUser = async (req: Request, res: Response) => {
  const user = await User.create(req.body);
  res.status(201).json(user);
};`,
      otherFiles: [{ file: "src/routes/users.ts", code: `router.post("/users", requireAuth, createUser);` }],
      errors: [{ line: 2, column: 34 }],
    },
    {
      name: "reported at the input inside a default",
      code: `router.post("/checkout", async (req, res) => {
  const session = await stripe.checkout.sessions.create({
    mode: "payment",
    line_items: [{ price: PRICES[req.body.plan], quantity: req.body.seats ?? 1 }],
    success_url: SUCCESS_URL,
  }, { idempotencyKey: req.get("Idempotency-Key") });
  res.json({ url: session.url });
});`,
      errors: [{ line: 4, column: 60, endColumn: 74, message: /`req\.body\.seats` is sent to `stripe\.checkout\.sessions\.create`/ }],
    },
    {
      name: "a permission check on req.user is not input validation",
      code: `router.patch("/projects/:id", async (req, res) => {
  const project = await prisma.project.findUnique({ where: { id: req.params.id } });
  assertCanEdit(req.user, project);
  await prisma.project.update({ where: { id: req.params.id }, data: req.body });
  res.sendStatus(204);
});`,
      errors: [{ line: 4, column: 69, endColumn: 77 }],
    },
    {
      name: "wrapped in asyncHandler, destructured request",
      code: `router.post("/addresses", asyncHandler(async ({ body, user }, res) => {
  const address = await addressRepository.insert({ ...body, userId: user.id });
  res.status(201).json(address);
}));`,
      errors: [{ line: 2, column: 55, endColumn: 59 }],
    },
  ],
});
