#include "core/locks/blockinggraph.h"

#include <QSet>

#include <algorithm>

namespace dbops
{
    namespace
    {
        /// Tarjan's strongly connected components over waiter -> blocker.
        class Components final
        {
        public:
            Components(const QList<int> &nodes, const QHash<int, QList<int>> &blockersOf)
                : m_blockersOf(blockersOf)
            {
                for (int n : nodes)
                    if (!m_index.contains(n))
                        visit(n);
            }

            QHash<int, int> componentOf;
            QList<QList<int>> components;

        private:
            void visit(int v)
            {
                m_index[v] = m_low[v] = m_next++;
                m_stack << v;
                m_onStack.insert(v);
                for (int w : m_blockersOf.value(v))
                {
                    if (!m_index.contains(w))
                    {
                        visit(w);
                        m_low[v] = std::min(m_low[v], m_low[w]);
                    }
                    else if (m_onStack.contains(w))
                        m_low[v] = std::min(m_low[v], m_index[w]);
                }
                if (m_low[v] == m_index[v])
                {
                    QList<int> comp;
                    int w = 0;
                    do
                    {
                        w = m_stack.takeLast();
                        m_onStack.remove(w);
                        componentOf[w] = int(components.size());
                        comp << w;
                    } while (w != v);
                    std::sort(comp.begin(), comp.end());
                    components << comp;
                }
            }

            const QHash<int, QList<int>> &m_blockersOf;
            QHash<int, int> m_index;
            QHash<int, int> m_low;
            QList<int> m_stack;
            QSet<int> m_onStack;
            int m_next = 0;
        };
    }

    namespace
    {
        /// waiter -> blocker and blocker -> waiter, each edge once, self-waits dropped; the pids
        /// in ascending order.
        struct Edges
        {
            QHash<int, QList<int>> blockersOf;
            QHash<int, QList<int>> waitersOf;
            QList<int> nodes;

            explicit Edges(const QList<BlockingEdge> &edges)
            {
                QSet<int> seen;
                for (const BlockingEdge &e : edges)
                {
                    if (e.waiter == e.blocker)
                        continue; // a parallel leader reported against its own group: not a wait on someone else
                    if (!blockersOf[e.waiter].contains(e.blocker))
                        blockersOf[e.waiter] << e.blocker;
                    if (!waitersOf[e.blocker].contains(e.waiter))
                        waitersOf[e.blocker] << e.waiter;
                    for (int p : {e.waiter, e.blocker})
                        if (!seen.contains(p))
                        {
                            seen.insert(p);
                            nodes << p;
                        }
                }
                std::sort(nodes.begin(), nodes.end());
            }
        };

        /// Longest distance of each component from a source component, over the condensation
        /// (components come out of Tarjan in reverse topological order of waiter -> blocker, so
        /// every blocker's component is finished before its waiters').
        QList<int> componentDepths(const Edges &g, const Components &scc)
        {
            QList<int> compDepth(scc.components.size(), 0);
            for (int c = 0; c < scc.components.size(); ++c)
                for (int v : scc.components[c])
                    for (int b : g.blockersOf.value(v))
                        if (const int bc = scc.componentOf[b]; bc != c)
                            compDepth[c] = std::max(compDepth[c], compDepth[bc] + 1);
            return compDepth;
        }

        /// Every pid has its node; its primary parent is the blocker (outside its own component)
        /// furthest from a source, lowest pid on a tie.
        void primaryParentsChosen(const Edges &g, const Components &scc, const QList<int> &compDepth, BlockingTree &tree)
        {
            for (int v : g.nodes)
            {
                BlockingNode n;
                n.pid = v;
                n.inCycle = scc.components[scc.componentOf[v]].size() > 1;
                tree.nodes.insert(v, n);
            }
            for (int v : g.nodes)
            {
                const int c = scc.componentOf[v];
                int parent = 0;
                int best = -1;
                for (int b : g.blockersOf.value(v))
                {
                    const int bc = scc.componentOf[b];
                    if (bc == c)
                        continue;
                    if (compDepth[bc] > best || (compDepth[bc] == best && b < parent))
                    {
                        best = compDepth[bc];
                        parent = b;
                    }
                }
                tree.nodes[v].parent = parent;
            }
        }

        /// Wait cycle `c` is reported (as a walk when it is one) and its members hang below its
        /// entry: where an outside blocker holds it, else its lowest pid.
        void cycleEnteredAndWalked(const Edges &g, const Components &scc, int c, BlockingTree &tree)
        {
            const QList<int> &members = scc.components[c];
            tree.cycles << members;
            int entry = members.first();
            for (int m : members)
                if (tree.nodes[m].parent != 0)
                {
                    entry = m;
                    break;
                }
            QList<int> queue{entry};
            QSet<int> placed{entry};
            while (!queue.isEmpty())
            {
                const int b = queue.takeFirst();
                QList<int> waiters = g.waitersOf.value(b);
                std::sort(waiters.begin(), waiters.end());
                for (int w : waiters)
                    if (scc.componentOf[w] == c && !placed.contains(w) && tree.nodes[w].parent == 0)
                    {
                        tree.nodes[w].parent = b;
                        placed.insert(w);
                        queue << w;
                    }
            }
            // Order the reported cycle as a walk: entry, then whom it waits on, and so on.
            QList<int> walk{entry};
            QSet<int> inWalk{entry};
            for (int cur = entry;;)
            {
                int next = 0;
                for (int b : g.blockersOf.value(cur))
                    if (scc.componentOf[b] == c && !inWalk.contains(b))
                    {
                        next = b;
                        break;
                    }
                if (!next)
                    break;
                walk << next;
                inWalk.insert(next);
                cur = next;
            }
            if (walk.size() == members.size())
                tree.cycles.last() = walk;
        }

        /// Children (sorted) under their parent; the other blockers of each waiter named.
        void childrenLinked(const Edges &g, BlockingTree &tree)
        {
            for (int v : g.nodes)
            {
                const int p = tree.nodes[v].parent;
                if (p == 0)
                    continue;
                tree.nodes[p].children << v;
                for (int b : g.blockersOf.value(v))
                    if (b != p)
                        tree.nodes[v].otherBlockers << b;
                std::sort(tree.nodes[v].otherBlockers.begin(), tree.nodes[v].otherBlockers.end());
            }
            for (BlockingNode &n : tree.nodes)
                std::sort(n.children.begin(), n.children.end());
        }

        /// Depths, counts and the longest wait from each root down; roots by how many they block.
        void rootsCountedAndOrdered(const Edges &g, const std::function<qint64(int)> &waitMs, BlockingTree &tree)
        {
            std::function<void(int, int)> fill = [&](int pid, int depth) {
                BlockingNode &n = tree.nodes[pid];
                n.depth = depth;
                n.blockedCount = 0;
                n.chainDepth = 0;
                n.longestWaitMs = waitMs ? waitMs(pid) : 0;
                for (int child : n.children)
                {
                    fill(child, depth + 1);
                    const BlockingNode &cn = tree.nodes[child];
                    n.blockedCount += 1 + cn.blockedCount;
                    n.chainDepth = std::max(n.chainDepth, cn.chainDepth + 1);
                    n.longestWaitMs = std::max(n.longestWaitMs, cn.longestWaitMs);
                }
            };
            for (int v : g.nodes)
                if (tree.nodes[v].parent == 0)
                {
                    tree.roots << v;
                    fill(v, 0);
                }
            std::stable_sort(tree.roots.begin(), tree.roots.end(), [&](int a, int b) {
                const BlockingNode &na = tree.nodes[a];
                const BlockingNode &nb = tree.nodes[b];
                if (na.blockedCount != nb.blockedCount)
                    return na.blockedCount > nb.blockedCount;
                return a < b;
            });
        }
    }

    BlockingTree BlockingGraph::build(const QList<BlockingEdge> &edges, const std::function<qint64(int)> &waitMs)
    {
        BlockingTree tree;
        const Edges g(edges);
        if (g.nodes.isEmpty())
            return tree;
        const Components scc(g.nodes, g.blockersOf);
        primaryParentsChosen(g, scc, componentDepths(g, scc), tree);
        for (int c = 0; c < scc.components.size(); ++c)
            if (scc.components[c].size() > 1)
                cycleEnteredAndWalked(g, scc, c, tree);
        childrenLinked(g, tree);
        rootsCountedAndOrdered(g, waitMs, tree);
        return tree;
    }
}
