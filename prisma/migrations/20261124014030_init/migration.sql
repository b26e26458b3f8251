-- CreateTable
CREATE TABLE "Case" (
    "id" TEXT NOT NULL,
    "firstOrderNo" TEXT NOT NULL,
    "sourceLine" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "district" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "subjectName" TEXT NOT NULL,
    "elements" TEXT[],
    "industry" TEXT,
    "subjectKey" TEXT NOT NULL,
    "addressKey" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "outcome" TEXT,
    "unitId" TEXT,
    "acceptedAt" TIMESTAMP(3),
    "signedAt" TIMESTAMP(3),
    "dueAt" TIMESTAMP(3),
    "dueProvisional" BOOLEAN NOT NULL DEFAULT false,
    "colour" TEXT NOT NULL DEFAULT 'green',
    "overdue" BOOLEAN NOT NULL DEFAULT false,
    "escalated" BOOLEAN NOT NULL DEFAULT false,
    "repeatCount" INTEGER NOT NULL DEFAULT 0,
    "extensionCount" INTEGER NOT NULL DEFAULT 0,
    "violationFound" BOOLEAN,
    "closedAt" TIMESTAMP(3),
    "returnedAt" TIMESTAMP(3),
    "returnReason" TEXT,
    "seq" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HotlineOrder" (
    "orderNo" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "isRepeat" BOOLEAN NOT NULL DEFAULT false,
    "sourceLine" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "district" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "anonymous" BOOLEAN NOT NULL,
    "reporterName" TEXT,
    "reporterPhone" TEXT,
    "phoneKey" TEXT,
    "realName" BOOLEAN NOT NULL DEFAULT false,
    "feedbackSentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HotlineOrder_pkey" PRIMARY KEY ("orderNo")
);

-- CreateTable
CREATE TABLE "CaseEvent" (
    "caseId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "data" JSONB NOT NULL,

    CONSTRAINT "CaseEvent_pkey" PRIMARY KEY ("caseId","seq")
);

-- CreateTable
CREATE TABLE "Extension" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "days" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL,
    "decidedAt" TIMESTAMP(3),
    "decidedBy" TEXT,
    "comment" TEXT,

    CONSTRAINT "Extension_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Reward" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "appliedAt" TIMESTAMP(3) NOT NULL,
    "decidedAt" TIMESTAMP(3),
    "decidedBy" TEXT,
    "paidAt" TIMESTAMP(3),
    "paymentRef" TEXT,

    CONSTRAINT "Reward_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Revisit" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "rebound" BOOLEAN NOT NULL,
    "satisfied" BOOLEAN,
    "note" TEXT,

    CONSTRAINT "Revisit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CalendarYear" (
    "year" INTEGER NOT NULL,
    "offDays" TEXT[],
    "workDays" TEXT[],
    "source" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CalendarYear_pkey" PRIMARY KEY ("year")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboundFeedback" (
    "id" TEXT NOT NULL,
    "orderNo" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutboundFeedback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SupervisionTask" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "unitId" TEXT,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "SupervisionTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReporterNotice" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "orderNo" TEXT NOT NULL,
    "round" INTEGER NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReporterNotice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Case_firstOrderNo_key" ON "Case"("firstOrderNo");

-- CreateIndex
CREATE INDEX "Case_stage_idx" ON "Case"("stage");

-- CreateIndex
CREATE INDEX "Case_district_idx" ON "Case"("district");

-- CreateIndex
CREATE INDEX "Case_unitId_idx" ON "Case"("unitId");

-- CreateIndex
CREATE INDEX "Case_receivedAt_idx" ON "Case"("receivedAt");

-- CreateIndex
CREATE INDEX "Case_subjectKey_idx" ON "Case"("subjectKey");

-- CreateIndex
CREATE INDEX "Case_addressKey_idx" ON "Case"("addressKey");

-- CreateIndex
CREATE INDEX "HotlineOrder_caseId_idx" ON "HotlineOrder"("caseId");

-- CreateIndex
CREATE UNIQUE INDEX "Reward_paymentRef_key" ON "Reward"("paymentRef");

-- CreateIndex
CREATE INDEX "SupervisionTask_caseId_idx" ON "SupervisionTask"("caseId");

-- AddForeignKey
ALTER TABLE "HotlineOrder" ADD CONSTRAINT "HotlineOrder_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseEvent" ADD CONSTRAINT "CaseEvent_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Extension" ADD CONSTRAINT "Extension_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reward" ADD CONSTRAINT "Reward_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Revisit" ADD CONSTRAINT "Revisit_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
